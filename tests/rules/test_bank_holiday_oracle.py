"""The calendar's bank holidays against an independent record, and that record against itself.

See bank_holiday_oracle for where the record comes from. The holidays package must agree with
GOV.UK's published list for every published year, and with the standing rules after that.
"""

from __future__ import annotations

from datetime import date

import pytest

from putright.rules.calendar import england_and_wales_bank_holidays, supported_years

from . import bank_holiday_oracle as oracle

D = date


@pytest.mark.parametrize("year", oracle.PUBLISHED_YEARS)
def test_bank_holidays_match_the_govuk_published_list(year: int) -> None:
    assert england_and_wales_bank_holidays(year, year) == oracle.bank_holidays(year)


def test_bank_holidays_match_the_standing_rules_up_to_the_last_known_year() -> None:
    last = supported_years()[1]
    years = range(oracle.PUBLISHED_YEARS.stop, last + 1)
    mismatched = {
        year: sorted(england_and_wales_bank_holidays(year, year) ^ oracle.bank_holidays(year))
        for year in years
        if england_and_wales_bank_holidays(year, year) != oracle.bank_holidays(year)
    }
    assert mismatched == {}


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2012, D(2012, 4, 8)),
        (2016, D(2016, 3, 27)),
        (2019, D(2019, 4, 21)),  # the latest Easter of the published years
        (2024, D(2024, 3, 31)),
        (2038, D(2038, 4, 25)),  # the latest possible Easter Sunday
        (2285, D(2285, 3, 22)),  # the earliest possible Easter Sunday
    ],
)
def test_oracle_easter_sunday(year: int, easter: date) -> None:
    assert oracle.easter_sunday(year) == easter


@pytest.mark.parametrize(
    "year", [y for y in oracle.PUBLISHED_YEARS if y not in oracle.ONE_OFF_YEARS]
)
def test_oracle_rules_reproduce_every_published_year_without_a_one_off(year: int) -> None:
    assert oracle.rule_bank_holidays(year) == oracle.bank_holidays(year)


@pytest.mark.parametrize(
    ("year", "rules_only", "published_only"),
    [
        (2012, {D(2012, 5, 28)}, {D(2012, 6, 4), D(2012, 6, 5)}),  # Diamond Jubilee
        (2020, {D(2020, 5, 4)}, {D(2020, 5, 8)}),  # VE Day anniversary
        (2022, {D(2022, 5, 30)}, {D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19)}),
        (2023, set(), {D(2023, 5, 8)}),  # coronation
    ],
)
def test_oracle_one_off_years_differ_from_the_rules_only_by_the_one_offs(
    year: int, rules_only: set[date], published_only: set[date]
) -> None:
    rules, published = oracle.rule_bank_holidays(year), oracle.bank_holidays(year)
    assert rules - published == rules_only
    assert published - rules == published_only


def test_oracle_published_list_is_eight_weekdays_a_year_plus_one_offs() -> None:
    # 2012 and 2022 each gained a jubilee day, 2022 the state funeral, 2023 the coronation; in
    # 2020 the early May holiday moved rather than being added.
    counts = {2012: 9, 2022: 10, 2023: 9}
    for year in oracle.PUBLISHED_YEARS:
        days = oracle.bank_holidays(year)
        assert all(d.year == year and d.weekday() < 5 for d in days)
        assert len(days) == counts.get(year, 8), year


def test_oracle_refuses_years_before_the_published_list() -> None:
    # 2011 had a one-off (the royal wedding, 29 April) that the rules cannot know.
    with pytest.raises(ValueError, match="no record"):
        oracle.bank_holidays(2011)

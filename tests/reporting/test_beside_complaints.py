"""Compliments, contacts, satisfaction surveys and the equality profile of complainants, against
the records worked by hand in ``conftest.beside_complaints``; and what a report says when a
landlord keeps none of them in PutRight."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from putright.accounts.roles import BOARD_MEMBER
from putright.reporting import metrics as m
from putright.reporting import tables
from putright.reporting.annual import figures, figures_of
from putright.reporting.periods import reporting_year
from tests.accounts.helpers import make_staff

pytestmark = pytest.mark.django_db

NOT_RECORDED = "Not recorded in PutRight for this period."


@pytest.fixture
def year():
    return reporting_year(2025)


def test_compliments_by_what_they_praise_and_how_they_came(beside_complaints, year):
    found = m.compliments(year)
    assert (found.recorded, found.total) == (True, 4)
    # The 5 June compliment praises a team and a person in it: the lines add up to 5, not 4.
    assert found.about == {"team": 2, "person": 2, "contractor": 1}
    assert found.by_channel == {"Email": 2, "Phone": 1, "Letter or card": 1}
    assert m.compliments(year.year_before()).total == 1  # 15 March 2025


def test_contacts_answered_within_target_count_every_contact_received(beside_complaints, year):
    found = m.contacts_answered(year)
    assert (found.recorded, found.received, found.answered, found.within_target) == (
        True,
        4,
        3,
        2,  # 17 April answered 23 April, in time across Easter; 2 June answered 4 June
    )
    assert found.within_target_share.shown() == "50.0%"  # the unanswered one counts as not


def test_satisfaction_over_the_surveys_sent_in_the_year(beside_complaints, year):
    found = m.satisfaction(year)
    assert (found.sent, found.responses, found.score_total) == (5, 4, 12)
    assert found.response_rate.shown() == "80.0%"
    assert found.mean_score.rounded() == Decimal("3.0")
    assert (found.follow_ups, found.choice_offered) == (3, 1)


def test_the_mean_score_of_seed_000():
    """Seed 000: 81 responses from 372 surveys, 2.4 out of 5 (194 points in all)."""
    found = m.SatisfactionFigures(True, 372, 81, 194, 0, 0)
    assert found.mean_score.rounded() == Decimal("2.4")
    assert found.response_rate.shown() == "21.8%"


def _profile(period) -> dict[str, dict[str, tuple[int, int]]]:
    profile = m.equality_profile(period)
    return {
        key: {row.value: (row.complainants, row.residents) for row in rows}
        for key, (_, rows) in profile.characteristics.items()
    }


def test_the_equality_profile_keeps_unknown_and_prefer_not_to_say(beside_complaints, year):
    profile = m.equality_profile(year)
    assert (profile.recorded, profile.complainants, profile.residents) == (True, 5, 8)
    found = _profile(year)
    # (complainants, residents) for every answer; zeros stay, so each column adds up.
    assert found["sex"] == {"female": (1, 2), "male": (1, 2), "not_said": (1, 1), "unknown": (2, 3)}
    assert found["ethnicity"] == {
        "asian": (0, 1),
        "black": (0, 1),
        "mixed": (0, 0),
        "white": (1, 1),
        "other": (0, 0),
        "not_said": (1, 1),
        "unknown": (3, 4),
    }
    assert found["age_band"]["25_34"] == (1, 1)
    assert found["age_band"]["35_44"] == (0, 1)
    assert found["age_band"]["65_74"] == (1, 1)
    assert found["age_band"]["not_said"] == (0, 0)
    assert found["age_band"]["unknown"] == (3, 5)
    assert found["disability"] == {"disclosed": (1, 2), "unknown": (4, 6)}
    for rows in found.values():
        assert sum(c for c, _ in rows.values()) == 5
        assert sum(r for _, r in rows.values()) == 8


def test_equality_counts_work_out_unknowns_and_who_answered_anything():
    """Worked by hand: A answered everything and disclosed a disability, twice; B answered only
    their sex; C disclosed a disability and answered nothing; D's only disclosure is no longer
    active; E has no record at all. Five people, three of whom told us something."""
    from putright.people.models import Resident
    from tests.people.factories import DisabilityFactory, EqualityDataFactory, ResidentFactory

    a, b, c, d, e = ResidentFactory.create_batch(5)
    EqualityDataFactory(resident=a)
    DisabilityFactory.create_batch(2, resident=a)
    EqualityDataFactory(resident=b, age_band="", ethnicity="")
    DisabilityFactory(resident=c)
    DisabilityFactory(resident=d, is_active=False)

    found = m.equality_counts(Resident.objects.filter(pk__in=[x.pk for x in (a, b, c, d, e)]))

    assert (found["n"], found["answered"]) == (5, 3)
    assert (found["disability__disclosed"], found["disability__unknown"]) == (2, 3)
    assert (found["sex__female"], found["sex__unknown"]) == (2, 3)
    assert (found["age_band__35_44"], found["age_band__unknown"]) == (1, 4)
    assert (found["ethnicity__white"], found["ethnicity__unknown"]) == (1, 4)
    assert found["age_band__not_said"] == found["ethnicity__asian"] == 0
    # All residents are counted another way (disclosures from their own table): the same.
    assert m.residents_equality() == found


def test_the_figures_and_tables_of_the_records_beside_complaints(beside_complaints, year):
    this, before = figures(year), figures(year.year_before())
    assert this["satisfaction"]["mean_score_out_of_5"] == {
        "numerator": 12,
        "denominator": 4,
        "value": 3.0,
    }
    assert this["contacts"]["answered_within_target_pct"]["value"] == 50.0
    sex = this["equality"]["characteristics"]["sex"]["rows"]
    assert [row["label"] for row in sex][-2:] == ["Prefer not to say", "Unknown / not recorded"]
    assert sex[-1]["complainants_pct"] == {"numerator": 2, "denominator": 5, "value": 40.0}

    by_key = {table.key: table for table in tables.sections(this, before)}
    assert by_key["compliments"].rows[0] == ["Compliments received", "4", "1"]
    assert ["By letter or card", "1", "0"] in by_key["compliments"].rows
    # 2024-25 had no contacts or surveys recorded: that column says so rather than 0.
    assert by_key["contacts"].rows[2] == ["Answered within target", "2", "Not recorded"]
    assert by_key["satisfaction"].rows[3] == ["Mean score out of 5", "3.0", "Not recorded"]
    assert ["Unknown / not recorded", "2 (40.0%)", "3 (37.5%)"] in by_key["equality_sex"].rows


def test_only_the_reports_own_period_has_an_equality_profile(beside_complaints, year):
    """The tables show the profile of the report's period alone, so the year beside it is
    spared working one out."""
    this, before = figures_of(year, year.year_before())

    assert this["equality"] == figures(year)["equality"]
    assert this["equality"]["complainants"] == 5
    assert before["equality"] is None
    assert before["stage1"] == figures(year.year_before())["stage1"]


def test_nothing_recorded_says_so_and_never_shows_zeros(landlord, year):
    this = figures(year)
    for section in ("compliments", "contacts", "satisfaction", "equality"):
        assert this[section]["recorded"] is False, section
    by_key = {table.key: table for table in tables.sections(this, figures(year.year_before()))}
    for key in ("compliments", "contacts", "satisfaction", "equality"):
        assert (by_key[key].rows, by_key[key].empty) == ([], NOT_RECORDED), key


def test_a_period_before_the_landlord_started_recording_is_not_recorded(beside_complaints):
    # Records dated after a period do not make it "recorded": 2023-24 predates them all.
    earlier = reporting_year(2023)
    assert not m.compliments(earlier).recorded
    assert not m.contacts_answered(earlier).recorded
    assert not m.satisfaction(earlier).recorded


def test_a_quiet_period_after_recording_began_shows_real_zeros(beside_complaints):
    # 2024-25 had no surveys, so not recorded; 2026-27 so far has one compliment and no
    # surveys sent, but surveys were kept before it: 0 surveys is a true 0.
    later = reporting_year(2026)
    assert m.satisfaction(later).recorded and m.satisfaction(later).sent == 0


def test_the_page_csv_and_json_say_not_recorded(client, landlord, set_today):
    set_today(dt.date(2026, 6, 1))
    client.force_login(make_staff(BOARD_MEMBER))
    html = client.get(reverse("reporting:annual", args=[2025])).content.decode()
    assert html.count(NOT_RECORDED) == 4  # compliments, contacts, surveys, equality

    out = StringIO()
    call_command("report", "annual", "--year", "2025-26", "--format", "csv", stdout=out)
    assert f"Compliments received\r\n{NOT_RECORDED}" in out.getvalue()
    out = StringIO()
    call_command("report", "annual", "--year", "2025-26", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["satisfaction"]["recorded"] is False


def test_the_board_sees_the_equality_profile_as_counts_only(
    client, beside_complaints, landlord, set_today
):
    set_today(dt.date(2026, 6, 1))
    client.force_login(make_staff(BOARD_MEMBER))
    html = client.get(reverse("reporting:annual", args=[2025])).content.decode()
    assert "Equality profile of complainants, 2025-26: sex" in html
    assert "Prefer not to say" in html and "Unknown / not recorded" in html
    assert "Compliments received" in html and "Mean score out of 5" in html
    # Whole names and references: a generated surname alone ("Page", "May") can be an English
    # word on the page.
    for complaint in landlord.values():
        person = complaint.complainant
        assert f"{person.first_name} {person.last_name}" not in html
        assert complaint.reference not in html

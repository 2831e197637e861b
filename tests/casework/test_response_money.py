"""Amounts of money typed in pounds and pence, kept as whole pence (never floats)."""

from __future__ import annotations

import pytest

from putright.casework.forms.responses import MoneyError, MoneyField, format_pounds, parse_pence


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("£1,250.50", 125050),
        ("1250.50", 125050),
        ("1,250", 125000),
        ("£ 1 250.50", 125050),  # spaces typed in are ignored
        ("12.5", 1250),
        ("12.05", 1205),
        (".50", 50),
        ("0", 0),
        ("£0.01", 1),
        ("100", 10000),
        ("1,000,000.99", 100000099),
        ("  £75  ", 7500),
        ("9,999,999.99", 999999999),
    ],
)
def test_amounts_become_whole_pence(typed, pence):
    assert parse_pence(typed) == pence


def test_a_sum_that_floats_get_wrong_is_exact():
    # float("1.15") * 100 == 114.99999999999999
    assert parse_pence("1.15") == 115
    assert parse_pence("4.35") == 435


@pytest.mark.parametrize("typed", ["-5", "£-5", "-£5", "−5", "-0.01"])
def test_negative_amounts_are_refused(typed):
    with pytest.raises(MoneyError) as exc:
        parse_pence(typed)
    assert exc.value.code == "negative"


@pytest.mark.parametrize("typed", ["1.234", "£0.001", "1,250.505"])
def test_more_than_two_decimal_places_are_refused(typed):
    with pytest.raises(MoneyError) as exc:
        parse_pence(typed)
    assert exc.value.code == "decimals"


@pytest.mark.parametrize(
    "typed", ["", "£", "ten pounds", "12.", "1,25", "12,50.00", "1.2.3", "£5p", "5e3", "£1,2345"]
)
def test_things_that_are_not_amounts_are_refused(typed):
    with pytest.raises(MoneyError) as exc:
        parse_pence(typed)
    assert exc.value.code == "invalid"


def test_ten_million_pounds_or_more_is_refused():
    with pytest.raises(MoneyError) as exc:
        parse_pence("10,000,000")
    assert exc.value.code == "too_large"


@pytest.mark.parametrize(
    ("pence", "shown"),
    [(125050, "£1,250.50"), (0, "£0.00"), (5, "£0.05"), (100000099, "£1,000,000.99"), (None, "")],
)
def test_pence_are_shown_as_pounds(pence, shown):
    assert format_pounds(pence) == shown


def test_pounds_shown_without_the_sign_read_back_the_same():
    for pence in (0, 1, 99, 12550, 125050, 100000099):
        assert parse_pence(format_pounds(pence, symbol=False)) == pence


def test_the_field_names_the_amount_in_its_messages():
    field = MoneyField(error_label="Amount of remedy 2", required=False)
    assert field.clean("") is None
    assert field.clean("£12.50") == 1250
    for typed, message in [
        ("-1", "Amount of remedy 2 cannot be negative"),
        ("1.999", "Amount of remedy 2 must have no more than 2 numbers after the decimal point"),
        ("lots", "Amount of remedy 2 must be an amount of money, like 150 or 1,250.50"),
    ]:
        with pytest.raises(Exception) as exc:
            field.clean(typed)
        assert exc.value.messages == [message]

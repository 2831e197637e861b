"""The Ombudsman's compensation bands: which band an amount falls in, at every edge, and which
bands are confirmed."""

from __future__ import annotations

import pytest

from putright.redress import services
from putright.redress.selectors import band_guidance, confirmed_band_keys
from putright.rules.remedy_bands import BANDS, band_by_key, band_for


@pytest.mark.parametrize(
    ("pence", "key"),
    [
        (0, None),
        (4_999, None),  # £49.99: below the lowest band
        (5_000, "50-100"),  # £50: a band includes its lower amount
        (9_999, "50-100"),
        (10_000, "100-600"),  # £100: the touching edge belongs to the higher band
        (35_000, "100-600"),
        (59_999, "100-600"),
        (60_000, "600-1000"),  # £600
        (99_999, "600-1000"),
        (100_000, "1000+"),  # £1,000
        (500_000_00, "1000+"),
    ],
)
def test_an_amount_falls_in_one_band(pence, key):
    band = band_for(pence)
    assert (band.key if band else None) == key


@pytest.mark.parametrize("bad", [-1, 1.5, "100", True, None])
def test_only_whole_pence_have_a_band(bad):
    with pytest.raises(ValueError):
        band_for(bad)


def test_the_bands_touch_without_gaps_or_overlaps():
    for lower, upper in zip(BANDS, BANDS[1:], strict=False):
        assert lower.upper_pence == upper.lower_pence
    assert BANDS[-1].upper_pence is None


def test_only_the_100_to_600_band_is_confirmed_by_the_reference_notes():
    assert [band.key for band in BANDS if band.confirmed] == ["100-600"]
    for band in BANDS:
        assert band.source and band.effective_from


def test_band_lookup_by_key():
    assert band_by_key("600-1000").label == "£600 to £1,000"
    assert band_by_key("nonsense") is None


def test_a_band_is_unconfirmed_until_an_administrator_confirms_it(db, manager):
    assert confirmed_band_keys() == frozenset({"100-600"})
    assert band_guidance(75_000).text == "Ombudsman band £600 to £1,000 (unconfirmed)"
    assert band_guidance(35_000).text == "Ombudsman band £100 to £600"
    assert band_guidance(4_000).text == "Below the Ombudsman's lowest band"

    services.band_confirm(
        acting_user=manager, band_key="600-1000", source_checked="Remedies guidance, April 2024"
    )

    assert confirmed_band_keys() == frozenset({"100-600", "600-1000"})
    assert band_guidance(75_000).text == "Ombudsman band £600 to £1,000"


def test_confirming_an_unknown_band_or_without_a_source_is_refused(db, manager):
    from putright.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        services.band_confirm(acting_user=manager, band_key="5-10", source_checked="x")
    assert error.value.code == "unknown_band"
    with pytest.raises(InvalidInput) as error:
        services.band_confirm(acting_user=manager, band_key="1000+", source_checked="  ")
    assert error.value.code == "source_missing"

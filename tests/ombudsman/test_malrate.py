"""The maladministration rate, checked against the Ombudsman's published figures."""

from __future__ import annotations

import pytest

from putright.rules import malrate as m


def test_seed_002_116_findings_77_failures_19_outside_jurisdiction_is_79_percent():
    # 2023-24: 116 findings, 77 of them failures, 16% (19) outside jurisdiction; the other 20
    # no maladministration or reasonable redress. 77 / 97 = 79.4%.
    counts = {
        m.SEVERE_MALADMINISTRATION: 10,
        m.MALADMINISTRATION: 45,
        m.SERVICE_FAILURE: 22,
        m.OUTSIDE_JURISDICTION: 19,
        m.NO_MALADMINISTRATION: 12,
        m.REASONABLE_REDRESS: 8,
    }
    rate = m.malrate_from_counts(counts)
    assert (rate.failures, rate.considered, rate.total) == (77, 97, 116)
    assert rate.percent == 79


def test_seed_000_six_service_failures_of_eleven_findings_is_55_percent():
    outcomes = [m.SERVICE_FAILURE] * 6 + [m.NO_MALADMINISTRATION] * 5
    rate = m.malrate(outcomes)
    assert (rate.failures, rate.considered) == (6, 11)
    assert rate.percent == 55  # 54.5 rounds up


def test_mediation_in_or_out_of_the_denominator_by_hand():
    # 3 maladministration, 1 service failure, 2 mediation, 2 no maladministration,
    # 1 withdrawn, 1 outside jurisdiction: 10 findings.
    outcomes = (
        [m.MALADMINISTRATION] * 3
        + [m.SERVICE_FAILURE]
        + [m.MEDIATION] * 2
        + [m.NO_MALADMINISTRATION] * 2
        + [m.WITHDRAWN, m.OUTSIDE_JURISDICTION]
    )
    counted = m.malrate(outcomes, mediation_in_denominator=True)
    assert (counted.failures, counted.considered, counted.mediation) == (4, 8, 2)
    assert counted.percent == 50  # 4 / 8
    left_out = m.malrate(outcomes, mediation_in_denominator=False)
    assert (left_out.failures, left_out.considered) == (4, 6)
    assert left_out.percent == 67  # 4 / 6 = 66.7
    assert "2 mediation finding(s), left out of" in left_out.mediation_note
    assert "counted in" in counted.mediation_note


def test_no_considered_finding_has_no_rate():
    rate = m.malrate([m.WITHDRAWN, m.OUTSIDE_JURISDICTION])
    assert rate.considered == 0
    assert rate.percent is None


def test_reasonable_redress_stays_in_the_denominator_and_is_no_failure():
    rate = m.malrate([m.REASONABLE_REDRESS, m.SEVERE_MALADMINISTRATION])
    assert (rate.failures, rate.considered, rate.percent) == (1, 2, 50)


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="partial"):
        m.malrate(["partial"])

"""Every figure of the reports against the landlord worked by hand in ``conftest``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from putright.organisation.selectors import get_organisation
from putright.reporting import metrics as m
from putright.reporting.periods import reporting_year

pytestmark = pytest.mark.django_db

D = dt.date
LEGAL = "The matter is the subject of legal proceedings"


@pytest.fixture
def year(landlord):  # noqa: F811
    return reporting_year(2025)


def test_the_reporting_year_runs_from_april_to_march(db):
    period = reporting_year(2025)
    assert (period.start.isoformat(), period.end.isoformat(), period.label) == (
        "2025-04-01",
        "2026-03-31",
        "2025-26",
    )
    assert period.year_before().label == "2024-25"


def test_stage_1_counts_each_complaint_in_the_year_of_the_fact_it_is_counted_by(year):
    figures = m.stage_figures(year, 1)
    # Received B, C, D, F (received again when its refusal was reversed) and G (31 March);
    # not A (31 March 2025: the year before) nor E (its refusal stands).
    assert figures.received == 5
    # Responded A (14 April 2025, though received the year before), B and C.
    assert (figures.responded, figures.responded_within_code) == (3, 2)
    assert figures.responded_within_initial == 1  # B was on time only with its extension
    assert figures.extended == 1
    assert (figures.acknowledged, figures.acknowledged_within_code) == (4, 3)
    assert figures.within_code.shown() == "66.7%"
    assert figures.acknowledged_on_time.shown() == "75.0%"


def test_the_year_before_has_only_what_happened_in_it(year):
    before = m.stage_figures(year.year_before(), 1)
    assert (before.received, before.responded, before.acknowledged) == (1, 0, 0)


def test_stage_2(year):
    figures = m.stage_figures(year, 2)
    assert (figures.received, figures.responded, figures.responded_within_code) == (1, 1, 1)
    assert (figures.acknowledged, figures.acknowledged_within_code) == (1, 1)


def test_working_days_to_respond_skip_weekends_and_bank_holidays(year):
    days = m.days_to_respond(year, 1)
    assert days.responses == 3
    assert days.mean == pytest.approx((10 + 23 + 13) / 3)
    assert days.median == 13
    assert m.days_to_respond(year, 2).mean == 10  # Mon 12 May to Tue 27 May (26 May a holiday)


def test_outcomes_escalation_and_overturn(year):
    assert m.outcomes(year, 1) == {"upheld": 1, "partly_upheld": 1, "not_upheld": 1}
    assert m.outcomes(year, 2) == {"upheld": 0, "partly_upheld": 1, "not_upheld": 0}
    assert m.point_outcomes(year, 1) == {"upheld": 1, "partly_upheld": 1, "not_upheld": 1}
    assert m.escalation_rate(year).shown() == "33.3%"
    assert m.overturn_rate(year).shown() == "100.0%"


def test_not_accepted_counts_refusals_that_stand_by_their_reason(year):
    refused = m.not_accepted(year)
    assert (refused.total, refused.by_reason) == (1, {LEGAL: 1})  # E; F's was reversed
    assert m.not_accepted(year, kind="escalation").total == 0
    assert m.withdrawn(year) == 1  # D


def test_channels_and_months(year):
    assert m.channels(year) == {"Phone": 3, "Email": 1, "Web form": 1}
    months = m.monthly_received(year)
    assert list(months)[0] == "2025-04" and list(months)[-1] == "2026-03"
    assert months["2025-04"] == 1 and months["2025-09"] == 1 and months["2026-03"] == 1
    assert months["2025-10"] == 0
    assert sum(months.values()) == 5


def test_tenant_satisfaction_measures_by_tenure(year):
    tsm = m.tenant_satisfaction_measures(year)
    assert tsm.homes == {"LCRA": 1000, "LCHO": 200, "all": 1200}
    # CH01 stage 1: LCRA C, F, G = 3 per 1,000; LCHO B = 1 in 200; all 4 of 1,200 (D, a
    # leaseholder, is left out).
    assert {g: r.shown() for g, r in tsm.ch01_stage1.items()} == {
        "LCRA": "3.0 per 1,000",
        "LCHO": "5.0 per 1,000",
        "all": "3.3 per 1,000",
    }
    assert (tsm.ch01_stage1["all"].numerator, tsm.ch01_stage1["all"].denominator) == (4, 1200)
    assert tsm.ch01_stage2["all"].shown() == "0.8 per 1,000"
    # CH02 stage 1: LCRA A on time, C late; LCHO B on time within its extension.
    assert {g: r.shown() for g, r in tsm.ch02_stage1.items()} == {
        "LCRA": "50.0%",
        "LCHO": "100.0%",
        "all": "66.7%",
    }
    assert tsm.ch02_stage2["LCRA"].shown() == "n/a"  # nothing to divide by, not 0%


def test_counting_leaseholders_is_the_organisations_choice(year):
    organisation = get_organisation()
    organisation.tsm_includes_leaseholders = True
    organisation.save()
    tsm = m.tenant_satisfaction_measures(year)
    assert tsm.ch01_stage1["all"].numerator == 5  # D counted now
    assert tsm.ch01_stage1["LCRA"].numerator == 3
    assert any("leaseholders are counted" in note for note in tsm.notes)


def test_a_year_without_stock_counts_has_no_ch01(landlord):
    tsm = m.tenant_satisfaction_measures(reporting_year(2024))
    assert tsm.ch01_stage1["all"].value is None
    assert any("No stock count" in note for note in tsm.notes)


def test_rates_round_half_up():
    from putright.rules.ratios import per_thousand, percentage

    assert percentage(1, 8).rounded(1) == Decimal("12.5")
    assert percentage(9, 400).rounded(1) == Decimal("2.3")  # 2.25 up, not to even
    assert per_thousand(0, 0).shown() == "n/a"


def test_the_figures_cost_the_same_few_queries_whatever_the_record(
    year, django_assert_max_num_queries
):
    from putright.reporting.annual import figures

    with django_assert_max_num_queries(50):
        figures(year)


def test_the_ombudsman_findings_of_the_year_and_the_rate_as_the_ombudsman_computes_it(
    landlord, officer
):
    """B went to the Ombudsman, referred Mon 2 Jun 2025 and determined Mon 1 Dec 2025 with four
    findings: maladministration, service failure, mediation and outside jurisdiction. Outside
    jurisdiction is not considered; mediation counts among those considered by default: 2 of 3
    considered, 67%."""
    from putright.ombudsman import services as ombudsman
    from putright.reporting.annual import figures

    case = ombudsman.case_open(
        acting_user=officer,
        reference="202501234",
        referred_on=D(2025, 6, 2),
        complaints=[landlord["B"]],
        stage="investigation",
    )
    ombudsman.determination_record(acting_user=officer, case=case, on=D(2025, 12, 1))
    for element, outcome in (
        ("Repairs", "maladministration"),
        ("Complaint handling", "service_failure"),
        ("Communication", "mediation"),
        ("Rent", "outside_jurisdiction"),
    ):
        ombudsman.finding_add(acting_user=officer, case=case, element=element, outcome=outcome)

    found = figures(reporting_year(2025))["ombudsman"]
    assert found["determinations"] == 1
    assert found["findings"] == {
        "maladministration": 1,
        "mediation": 1,
        "outside_jurisdiction": 1,
        "service_failure": 1,
    }
    assert found["maladministration_rate_pct"] == {"numerator": 2, "denominator": 3, "value": 67}
    assert figures(reporting_year(2024))["ombudsman"]["determinations"] == 0


@pytest.mark.parametrize("seed", range(20))
def test_the_median_of_a_tally_is_the_median_of_its_values(seed):
    """The days to respond are counted as a tally (days: how many responses); its median must
    be what ``statistics.median`` gives of every response written out, odd and even sizes."""
    import random
    import statistics
    from collections import Counter

    from putright.reporting.metrics import _median

    rng = random.Random(seed)
    values = [rng.randrange(0, 40) for _ in range(rng.randrange(1, 60))]

    assert _median(Counter(values), len(values)) == statistics.median(values)

"""The annual report costs the same number of queries however many complaints it counts.

Issue 22: queries per report bounded whatever the number of complaints. The queries are counted
with 3 complaints, then again once 27 more have come in, spread over more categories, business
areas, channels, tenures, outcomes and refusal reasons, in the reporting year and the year
before (the page shows both): ``figures()`` and the page must make exactly as many queries for
30 as for 3. Speed itself is measured in ``make bench`` (benchmarks/bench_reports.py).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.roles import BOARD_MEMBER, COMPLAINTS_MANAGER
from putright.complaints import services
from putright.complaints.models import Channel, Finding
from putright.organisation.models import BusinessArea, Category, ExclusionReason, StockCount
from putright.people.models import Tenure
from putright.reporting.annual import figures
from putright.reporting.periods import reporting_year
from tests.accounts.helpers import make_staff
from tests.complaints.conftest import officer, sign_off_required  # noqa: F401  (fixtures)
from tests.people.factories import ResidentFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
YEAR = 2025  # 1 April 2025 to 31 March 2026
CHANNELS = [Channel.PHONE, Channel.EMAIL, Channel.WEB_FORM, Channel.LETTER, Channel.IN_PERSON]
TENURES = [
    Tenure.LCRA_GENERAL_NEEDS,
    Tenure.LCHO_SHARED_OWNERSHIP,
    Tenure.LEASEHOLDER,
    Tenure.LCRA_SUPPORTED,
]
FINDINGS = [Finding.UPHELD, Finding.PARTLY_UPHELD, Finding.NOT_UPHELD]
POINTS = [("The repair was not done", "Do the repair"), ("Nobody called back", "An apology")]


def _reference_lists() -> dict:
    StockCount.objects.create(reporting_year=YEAR, tenure="LCRA", homes=1000)
    StockCount.objects.create(reporting_year=YEAR, tenure="LCHO", homes=200)
    return {
        "categories": list(Category.objects.filter(parent__isnull=True).order_by("pk")),
        "areas": [BusinessArea.objects.create(name=f"Area {n}") for n in range(4)],
        "reasons": list(
            ExclusionReason.objects.filter(applies_to__in=("acceptance", "both")).order_by("pk")
        ),
        "reviewer": StaffUserFactory(),  # nobody involved at stage 1 considers stage 2 (6.13)
    }


def _complaints(officer, lists: dict, numbers: range) -> None:  # noqa: F811  (the fixture)
    """One complaint every 12 days from 17 March 2025 (the year before; the third is in the
    year) to March 2026, the n-th of ``numbers``:
    acknowledged and answered, every fifth escalated and answered at stage 2, every seventh not
    accepted (a reason from the seeded list, in turn) and every ninth withdrawn."""
    categories, areas, reasons = lists["categories"], lists["areas"], lists["reasons"]
    reviewer = lists["reviewer"]
    start = dt.date(2025, 3, 17)
    for n in numbers:
        received = start + dt.timedelta(days=12 * n)
        if received.weekday() >= 5:
            received += dt.timedelta(days=7 - received.weekday())
        complaint = services.complaint_log(
            acting_user=officer,
            complainant=ResidentFactory(),
            received_at=dt.datetime(received.year, received.month, received.day, 10, tzinfo=LONDON),
            channel=CHANNELS[n % len(CHANNELS)],
            description="The repair was not done.",
            tenure_at_receipt=TENURES[n % len(TENURES)],
            category=categories[n % len(categories)] if categories else None,
            business_area=areas[n % len(areas)],
            handler=officer,
        )
        day = received + dt.timedelta(days=1)
        if n % 7 == 6 and reasons:
            services.complaint_not_accept(
                acting_user=officer,
                complaint=complaint,
                reason=reasons[n % len(reasons)],
                explanation="The policy's exclusion applies.",
                evidence="Case notes.",
                evidence_date=day if reasons[n % len(reasons)].requires_date_evidence else None,
                resident_told_on=day,
                ombudsman_rights_given=True,
                on=day,
            )
            continue
        services.stage_acknowledge(
            acting_user=officer, complaint=complaint, on=day, points=POINTS[: 1 + n % 2]
        )
        if n % 9 == 8:
            services.complaint_withdraw(acting_user=officer, complaint=complaint, on=day)
            continue
        finding = FINDINGS[n % len(FINDINGS)]
        services.stage_respond(
            acting_user=officer,
            complaint=complaint,
            on=day + dt.timedelta(days=7),
            decisions=dict.fromkeys(range(1, 2 + n % 2), (finding, "The records show it")),
        )
        if n % 5 == 4:
            on = day + dt.timedelta(days=9)
            services.complaint_escalate(acting_user=officer, complaint=complaint, on=on)
            services.complaint_allocate(
                acting_user=reviewer, complaint=complaint, handler=reviewer, stage=2, on=on
            )
            services.stage_acknowledge(
                acting_user=reviewer,
                complaint=complaint,
                stage=2,
                on=on + dt.timedelta(days=1),
                points=POINTS[: 1 + n % 2],
            )
            services.stage_respond(
                acting_user=reviewer,
                complaint=complaint,
                on=on + dt.timedelta(days=8),
                decisions=dict.fromkeys(range(1, 2 + n % 2), (Finding.UPHELD, "On review")),
            )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _count(client, readers: list) -> dict[str, int]:
    counts = {"figures()": _queries(lambda: figures(reporting_year(YEAR)))}
    for role, reader in readers:
        client.force_login(reader)
        url = reverse("reporting:annual", args=[YEAR])
        response = None

        def page(url=url) -> None:
            nonlocal response
            response = client.get(url)

        counts[role] = _queries(page)
        assert response.status_code == 200
    return counts


def test_thirty_complaints_cost_the_same_queries_as_three(officer, client, set_today):  # noqa: F811
    set_today(dt.date(2026, 6, 1))
    lists = _reference_lists()
    _complaints(officer, lists, range(3))
    readers = [(role, make_staff(role)) for role in (BOARD_MEMBER, COMPLAINTS_MANAGER)]
    three = _count(client, readers)

    _complaints(officer, lists, range(3, 30))
    thirty = _count(client, readers)

    received = figures(reporting_year(YEAR))
    before = figures(reporting_year(YEAR).year_before())
    # The larger set really is larger, in both years and in every breakdown the page lists.
    assert received["stage1"]["received"] + before["stage1"]["received"] >= 20
    assert len(received["channels"]) == len(CHANNELS)
    assert len(received["categories"]) >= 3 and len(received["business_areas"]) == 4
    assert received["stage2"]["responded"] >= 2 and received["not_accepted"]["total"] >= 2
    assert thirty == three


def test_every_breakdown_adds_up_to_its_definitions_own_count(officer, set_today):  # noqa: F811
    """The breakdowns are sums of two grouped passes over the period's stages (received and
    responded); each must equal its definition's queryset counted on its own."""
    from putright.reporting import metrics as m

    set_today(dt.date(2026, 6, 1))
    _complaints(officer, _reference_lists(), range(30))
    period = reporting_year(YEAR)
    found = figures(period)
    received, responded = m.received(period, 1), m.responded_any(period)
    for value, label in Channel.choices:
        assert found["channels"].get(label, 0) == received.filter(complaint__channel=value).count()
    for row in found["categories"]:
        at = {"complaint__category_id": row["category_id"]}
        answered = m.responded(period, 1).filter(**at)
        assert row["received"] == received.filter(**at).count()
        assert row["responded"] == answered.count()
        assert row["upheld"] == answered.filter(outcome=Finding.UPHELD).count()
        assert row["not_upheld"] == answered.filter(outcome=Finding.NOT_UPHELD).count()
    for row in found["business_areas"]:
        area = responded.filter(complaint__business_area_id=row["business_area_id"])
        assert (row["responded"], row["within_code"]) == (
            area.count(),
            area.filter(m.WITHIN_CODE).count(),
        )
    by_month = {}
    for day in received.values_list("received_on", flat=True):
        by_month[day.strftime("%Y-%m")] = by_month.get(day.strftime("%Y-%m"), 0) + 1
    assert {k: v for k, v in found["monthly_received"].items() if v} == by_month
    groups = m.tsm_tenures()
    for stage in (1, 2):
        came = m.received(period, stage)
        answered = m.responded(period, stage)
        assert found[f"stage{stage}"]["received"] == came.count()
        assert found[f"stage{stage}"]["responded_late"] == answered.filter(m.LATE).count()
        for group, tenures in groups.items():
            ch01 = found["tsm"]["CH01"][f"stage{stage}_per_1000"][group]
            ch02 = found["tsm"]["CH02"][f"stage{stage}_pct"][group]
            mine = answered.filter(complaint__tenure_at_receipt__in=tenures)
            assert (
                ch01["numerator"] == came.filter(complaint__tenure_at_receipt__in=tenures).count()
            )
            assert (ch02["numerator"], ch02["denominator"]) == (
                mine.filter(m.WITHIN_CODE).count(),
                mine.count(),
            )
    assert found["withdrawn"] == received.filter(m.WITHDRAWN).count()
    assert sum(found["monthly_received"].values()) == received.count() >= 20


def test_the_pairs_of_dates_to_respond_come_in_index_order_without_a_sort():
    """A year's responses at a million complaints are 200,000 rows: grouping them by pair of
    dates in the responded covering index's own order spares a sort of them all."""
    from putright.reporting.metrics import response_date_pairs

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL chooses its plan from table statistics")
    plan = response_date_pairs(reporting_year(YEAR)).explain()

    assert "COVERING INDEX stage_responded_cover_idx" in plan
    assert "TEMP B-TREE" not in plan

"""The complaints behind each figure: every list holds exactly what its figure counts, only staff
who may see complaints open one, and confidential complaints stay hidden from those who may not
see them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.roles import BOARD_MEMBER, CASE_HANDLER, COMPLAINTS_MANAGER
from putright.complaints import services
from putright.complaints.models import Channel
from putright.core.models import SecurityEvent
from putright.organisation.models import BusinessArea, Category
from putright.people.models import Tenure
from putright.reporting import drill, tables
from putright.reporting.annual import figures
from putright.reporting.periods import reporting_year
from tests.accounts.helpers import make_staff
from tests.people.factories import ResidentFactory
from tests.reporting.conftest import LONDON

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 6, 1)


def _log(who, on: dt.date, **extra):
    return services.complaint_log(
        acting_user=who,
        complainant=ResidentFactory(),
        received_at=dt.datetime(on.year, on.month, on.day, 10, tzinfo=LONDON),
        channel=Channel.LETTER,
        description="The communal lights are out.",
        tenure_at_receipt=Tenure.LCRA_GENERAL_NEEDS,
        handler=who,
        **extra,
    )


@pytest.fixture
def sorted_landlord(landlord, officer):
    """The hand-worked landlord with two more stage 1 complaints of 2025-26 that have a
    category and a business area, one of them confidential, so every breakdown has a line of
    its own beside the "none recorded" line."""
    repairs, _ = Category.objects.get_or_create(name="Reporting repairs", parent=None)
    estates, _ = BusinessArea.objects.get_or_create(name="Reporting estates")
    plain = _log(officer, D(2025, 10, 6), category=repairs, business_area=estates)
    secret = _log(
        officer, D(2025, 11, 3), category=repairs, business_area=estates, is_confidential=True
    )
    return {**landlord, "plain": plain, "secret": secret}


def _reader(*, confidential: bool):
    """Staff who may see complaints and reports; ``confidential`` adds confidential cases."""
    user = make_staff(CASE_HANDLER, email=f"reader{int(confidential)}@example.org")
    codenames = ["view_reports"] + (["view_confidential"] if confidential else [])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="complaints", codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)  # a fresh permission cache


def _listed(client, key: str, year: int = 2025) -> list[str]:
    response = client.get(reverse("reporting:drill", args=[year, key]))
    assert response.status_code == 200, key
    return re.findall(r'href="/cases/([^/"]+)/"', response.content.decode())


def test_every_list_holds_exactly_what_its_figure_counts(sorted_landlord):
    for period in (reporting_year(2025), reporting_year(2024)):
        these = figures(period)
        keys = drill.keys(these)
        # The breakdowns' lines are there too, not only the fixed figures.
        if period.reporting_year == 2025:
            assert {"categories.none", "business_areas.none", "channels.letter"} <= set(keys)
            assert "not_accepted.reporting-legal" in keys
            assert any(re.fullmatch(r"categories\.\d+", k) for k in keys)
        for key in keys:
            found = drill.find(key)
            assert found is not None, key
            assert found.records(period).count() == found.figure(these), (period.label, key)
            assert len(drill.rows(found.records(period))) == found.figure(these), key


def test_the_hand_worked_lists(client, sorted_landlord, set_today):
    """Some lists by hand: stage 1 received B, C, D, F, G and the two new ones; late C; the
    acknowledgement late B; not accepted E; withdrawn D; B answered at both stages in the
    year is two of the year's responses with no business area."""
    set_today(TODAY)
    client.force_login(_reader(confidential=True))
    ref = {name: c.reference for name, c in sorted_landlord.items()}
    assert sorted(_listed(client, "stage1.received")) == sorted(
        ref[n] for n in ("B", "C", "D", "F", "G", "plain", "secret")
    )
    assert _listed(client, "stage1.responded.late") == [ref["C"]]
    assert _listed(client, "stage1.acknowledged.late") == [ref["B"]]
    assert _listed(client, "not_accepted") == [ref["E"]]
    assert _listed(client, "not_accepted.reporting-legal") == [ref["E"]]
    assert _listed(client, "withdrawn") == [ref["D"]]
    assert _listed(client, "business_areas.none").count(ref["B"]) == 2


def test_every_linked_figure_opens_a_list(client, sorted_landlord, set_today):
    set_today(TODAY)
    period = reporting_year(2025)
    this = figures(period)
    linked = [
        key
        for table in tables.sections(this, figures(period.year_before()))
        for key in table.drill
        if key
    ]
    assert set(linked) <= set(drill.keys(this))
    client.force_login(make_staff(COMPLAINTS_MANAGER))
    html = client.get(reverse("reporting:annual", args=[2025])).content.decode()
    links = set(re.findall(r'href="/reports/2025/complaints/([^/"]+)/"', html))
    assert links == set(linked)
    for key in links:
        assert client.get(reverse("reporting:drill", args=[2025, key])).status_code == 200


def test_the_board_gets_no_links_and_no_lists(client, sorted_landlord, set_today):
    set_today(TODAY)
    url = reverse("reporting:drill", args=[2025, "stage1.received"])
    client.force_login(make_staff(BOARD_MEMBER))
    html = client.get(reverse("reporting:annual", args=[2025])).content.decode()
    assert "/complaints/" not in html
    assert client.get(url).status_code == 403
    # A case handler may see complaints but not the reports: refused too.
    client.force_login(make_staff(CASE_HANDLER))
    assert client.get(url).status_code == 403


def test_an_unknown_figure_or_year_is_not_found(client, sorted_landlord, set_today):
    set_today(TODAY)
    client.force_login(make_staff(COMPLAINTS_MANAGER))
    for year, key in (
        (2025, "stage3.received"),
        (2025, "categories.999999"),
        (2025, "categories.repairs"),
        (2025, "channels.pigeon"),
        (2025, "not_accepted.no-such-reason"),
        (2023, "stage1.received"),
    ):
        assert client.get(reverse("reporting:drill", args=[year, key])).status_code == 404, key


def test_a_confidential_complaint_is_listed_only_to_those_who_may_see_it(
    client, sorted_landlord, set_today
):
    set_today(TODAY)
    secret = sorted_landlord["secret"].reference
    key = f"categories.{sorted_landlord['secret'].category_id}"

    client.force_login(_reader(confidential=False))
    response = client.get(reverse("reporting:drill", args=[2025, key]))
    html = response.content.decode()
    assert secret not in html
    assert sorted_landlord["plain"].reference in html
    # The figure is 2; the list says why it shows 1.
    assert "2 behind this figure" in html
    assert "1 of them is a confidential complaint you may not see" in html
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.CONFIDENTIAL_READ).exists()

    reader = _reader(confidential=True)
    client.force_login(reader)
    assert secret in _listed(client, key)
    read = SecurityEvent.objects.get(kind=SecurityEvent.Kind.CONFIDENTIAL_READ)
    assert (read.actor, read.details["references"]) == (reader, [secret])


def test_the_list_costs_the_same_queries_for_2_rows_as_for_20(client, officer, set_today):
    set_today(TODAY)
    client.force_login(_reader(confidential=False))
    url = reverse("reporting:drill", args=[2025, "stage1.received"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    for day in range(2):
        _log(officer, D(2025, 5, 5 + day))
    with_two = queries()
    for day in range(18):
        _log(officer, D(2025, 6, 2) + dt.timedelta(days=day))
    assert len(_listed(client, "stage1.received")) == 20
    assert queries() == with_two

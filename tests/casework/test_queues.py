"""The caseworking queues: membership, filters, search, sorting, paging, row tags, bulk
allocation, who may see what, and a fixed number of queries per page.

"Today" is Wednesday 24 December 2025 unless a test says otherwise. Christmas Day and Boxing Day
2025 are bank holidays, so working days around it, worked by hand:

    Mon 15, Tue 16, Wed 17, Thu 18, Fri 19, Mon 22, Tue 23, Wed 24 Dec,
    (Thu 25, Fri 26 bank holidays), Mon 29, Tue 30, Wed 31 Dec, (Thu 1 Jan bank holiday), Fri 2 Jan

A stage 1 acknowledgement is due 5 working days after receipt.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.models import Team
from putright.casework.selectors import queues as queue_selectors
from putright.casework.selectors.queues import (
    QUEUES_BY_SLUG,
    QueueFilters,
    Sort,
    deadline_status,
    queue_page,
    queue_queryset,
)
from putright.complaints import services
from putright.complaints.models import Channel, Complaint, Status
from putright.organisation.models import Category, ExclusionReason
from putright.people.models import Tenure
from putright.rules.calendar import WorkingDayCalendar
from tests.complaints import helpers as flow
from tests.people.factories import PropertyFactory, ResidentFactory, StaffUserFactory

D = dt.date
LONDON = ZoneInfo("Europe/London")
TODAY = D(2025, 12, 24)  # a Wednesday, the day before Christmas
CALENDAR = WorkingDayCalendar()  # bank holidays only, as the test database has no closure days
REFERENCE_LINK = re.compile(r">(C-\d{4}-\d{5})</a>")


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)


def url(slug: str) -> str:
    return reverse("casework:queue", kwargs={"queue": slug})


def listed(response) -> list[str]:
    """The references in the queue table, in page order."""
    html = response.content.decode()
    if "<tbody" not in html:
        return []
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return REFERENCE_LINK.findall(body)


@pytest.fixture
def today(set_today):
    """The queues' today: Wed 24 Dec 2025, or another date given to the returned setter."""
    set_today(TODAY)
    return set_today


@pytest.fixture
def staff(db):
    red = Team.objects.create(name="Red team")
    blue = Team.objects.create(name="Blue team")
    return SimpleNamespace(
        me=StaffUserFactory(role="Case handler", full_name="Hana Handler", team=red),
        mate=StaffUserFactory(role="Case handler", full_name="Mo Mate", team=red),
        other=StaffUserFactory(role="Quality reviewer", full_name="Olu Other", team=blue),
        manager=StaffUserFactory(role="Complaints manager", full_name="Mina Manager"),
        board=StaffUserFactory(role="Board member", full_name="Bo Board"),
        admin=StaffUserFactory(role="Administrator", full_name="Ada Admin"),
    )


def log(staff, received_on: dt.date, *, handler=None, **kwargs) -> Complaint:
    kwargs.setdefault("complainant", ResidentFactory())
    kwargs.setdefault("channel", Channel.PHONE)
    kwargs.setdefault("description", "Nobody has fixed the damp in my bedroom since May.")
    return services.complaint_log(
        acting_user=staff.manager, received_at=at(received_on), handler=handler, **kwargs
    )


def acknowledge(staff, complaint, on: dt.date, stage: int = 1) -> Complaint:
    return flow.acknowledge(acting_user=staff.manager, complaint=complaint, on=on, stage=stage)


def respond(user, complaint, on: dt.date) -> Complaint:
    return flow.respond(acting_user=user, complaint=complaint, on=on)


def escalated(staff, stage1_handler, **kwargs) -> Complaint:
    """Received Mon 1 Dec, handled at stage 1 by ``stage1_handler``, who responded on 5 Dec;
    escalated on Mon 8 Dec (stage 2 acknowledgement due Mon 15 Dec), stage 2 unallocated."""
    complaint = log(staff, D(2025, 12, 1), handler=stage1_handler, **kwargs)
    acknowledge(staff, complaint, D(2025, 12, 2))
    respond(stage1_handler, complaint, D(2025, 12, 5))
    return services.complaint_escalate(
        acting_user=staff.manager, complaint=complaint, on=D(2025, 12, 8)
    )


def refusal_reason() -> ExclusionReason:
    return ExclusionReason.objects.create(code="test-court", label="In court", applies_to="both")


@pytest.fixture
def world(staff, today):
    """One complaint for each corner of the queues (see the docstrings for the hand-worked
    dates)."""
    c = SimpleNamespace()
    # Received Mon 22 Dec: acknowledgement due Wed 31 Dec, 3 working days away.
    c.mine_on_track = log(staff, D(2025, 12, 22), handler=staff.me)
    # Received Thu 18 Dec: due Mon 29 Dec, 1 working day away over Christmas.
    c.mate_due_soon = log(staff, D(2025, 12, 18), handler=staff.mate)
    # Received Mon 15 Dec: due Mon 22 Dec, 2 working days ago.
    c.unallocated_overdue = log(staff, D(2025, 12, 15))
    # Acknowledged Tue 2 Dec: response due Tue 16 Dec (overdue), draft waiting for its check.
    c.awaiting_check = log(staff, D(2025, 12, 1), handler=staff.other)
    acknowledge(staff, c.awaiting_check, D(2025, 12, 2))
    flow.draft(acting_user=staff.other, complaint=c.awaiting_check, on=D(2025, 12, 10))
    # Stage 2 with Olu, acknowledged Tue 9 Dec: response due Fri 9 Jan 2026.
    c.stage2_open = escalated(staff, staff.me)
    services.complaint_allocate(
        acting_user=staff.manager, complaint=c.stage2_open, handler=staff.other, on=D(2025, 12, 8)
    )
    acknowledge(staff, c.stage2_open, D(2025, 12, 9), stage=2)
    # Stage 2 responded: the internal process is over.
    c.stage2_responded = escalated(staff, staff.me)
    services.complaint_allocate(
        acting_user=staff.manager,
        complaint=c.stage2_responded,
        handler=staff.other,
        on=D(2025, 12, 8),
    )
    acknowledge(staff, c.stage2_responded, D(2025, 12, 9), stage=2)
    respond(staff.other, c.stage2_responded, D(2025, 12, 12))
    # Escalation refused after a stage 1 response.
    c.escalation_refused = log(staff, D(2025, 12, 1), handler=staff.me)
    acknowledge(staff, c.escalation_refused, D(2025, 12, 2))
    respond(staff.me, c.escalation_refused, D(2025, 12, 5))
    services.escalation_refuse(
        acting_user=staff.manager,
        complaint=c.escalation_refused,
        reason=refusal_reason(),
        explanation="The matter is before the court.",
        evidence="Claim form served 1 December 2025.",
        resident_told_on=D(2025, 12, 9),
        ombudsman_rights_given=True,
        on=D(2025, 12, 9),
    )
    # Stage 1 responded by me, waiting to see whether the resident escalates.
    c.responded_mine = log(staff, D(2025, 12, 1), handler=staff.me)
    acknowledge(staff, c.responded_mine, D(2025, 12, 2))
    respond(staff.me, c.responded_mine, D(2025, 12, 5))
    # Withdrawn, and not accepted.
    c.withdrawn = log(staff, D(2025, 12, 22), handler=staff.me)
    services.complaint_withdraw(
        acting_user=staff.manager, complaint=c.withdrawn, on=D(2025, 12, 23)
    )
    c.not_accepted = log(staff, D(2025, 12, 22))
    services.complaint_not_accept(
        acting_user=staff.manager,
        complaint=c.not_accepted,
        reason=ExclusionReason.objects.get(code="test-court"),
        explanation="The matter is before the court.",
        evidence="Claim form served 1 December 2025.",
        resident_told_on=D(2025, 12, 23),
        ombudsman_rights_given=True,
        on=D(2025, 12, 23),
    )
    for complaint in vars(c).values():
        complaint.refresh_from_db()
    return c


# Row status: working days left and the tag (plain Python, hand-worked dates) -------------------


@pytest.mark.parametrize(
    ("due_on", "days_left", "tag"),
    [
        (D(2025, 12, 24), 0, "due_soon"),  # due today
        (D(2025, 12, 29), 1, "due_soon"),  # Thu 25 and Fri 26 are bank holidays
        (D(2025, 12, 30), 2, "due_soon"),
        (D(2025, 12, 31), 3, "on_track"),
        (D(2026, 1, 2), 4, "on_track"),  # Thu 1 Jan is a bank holiday
        (D(2025, 12, 23), -1, "overdue"),
        (D(2025, 12, 22), -2, "overdue"),
        (D(2025, 12, 19), -3, "overdue"),
    ],
)
def test_days_left_and_tag_count_working_days_over_christmas(due_on, days_left, tag):
    status = deadline_status(due_on=due_on, today=TODAY, calendar=CALENDAR)

    assert status.days_left == days_left
    assert status.tag.key == tag


def test_breached_outranks_every_other_tag():
    for due_on in (D(2025, 12, 22), D(2025, 12, 24), D(2026, 1, 30), None):
        status = deadline_status(
            due_on=due_on, today=TODAY, calendar=CALENDAR, is_breached=True, is_extended=True
        )
        assert status.tag.key == "breached"
        assert status.tag.label == "Breached"


def test_extended_shows_only_while_the_deadline_is_not_close():
    far = deadline_status(due_on=D(2026, 1, 9), today=TODAY, calendar=CALENDAR, is_extended=True)
    close = deadline_status(
        due_on=D(2025, 12, 29), today=TODAY, calendar=CALENDAR, is_extended=True
    )
    late = deadline_status(due_on=D(2025, 12, 23), today=TODAY, calendar=CALENDAR, is_extended=True)

    assert (far.tag.key, far.days_left) == ("extended", 9)  # 29, 30, 31 Dec, 2-9 Jan
    assert close.tag.key == "due_soon"
    assert late.tag.key == "overdue"


def test_no_deadline_and_no_missed_timescale_has_no_tag():
    status = deadline_status(due_on=None, today=TODAY, calendar=CALENDAR)

    assert status.days_left is None
    assert status.tag is None


def test_a_deadline_missed_on_friday_is_overdue_on_saturday_with_no_working_day_lost():
    status = deadline_status(due_on=D(2026, 1, 2), today=D(2026, 1, 3), calendar=CALENDAR)

    assert status.days_left == 0
    assert status.tag.key == "overdue"


def test_a_closure_day_counts_like_a_bank_holiday():
    closed_on_29th = WorkingDayCalendar([D(2025, 12, 29)])

    status = deadline_status(due_on=D(2025, 12, 31), today=TODAY, calendar=closed_on_29th)

    assert status.days_left == 2
    assert status.tag.key == "due_soon"


def test_the_due_soon_queue_holds_exactly_the_rows_tagged_due_soon():
    """The queue's date bounds and the tag agree for every day of December and January."""
    window = queue_selectors.WINDOW_FILTERS[queue_selectors.Window.DUE_SOON]
    start = D(2025, 12, 1)
    for offset in range(60):
        today = start + dt.timedelta(days=offset)
        bounds = dict(window(today, CALENDAR).children)
        for delta in range(-10, 20):
            due = today + dt.timedelta(days=delta)
            in_queue = bounds["next_due_on__gte"] <= due < bounds["next_due_on__lt"]
            tagged = deadline_status(due_on=due, today=today, calendar=CALENDAR).tag.key
            assert in_queue == (tagged == "due_soon"), (today, due)


# Queue membership ------------------------------------------------------------------------------

EXPECTED = {
    "mine": {"mine_on_track", "responded_mine"},
    "team": {"mine_on_track", "mate_due_soon"},
    "unallocated": {"unallocated_overdue"},
    "due-soon": {"mate_due_soon"},
    "overdue": {"unallocated_overdue", "awaiting_check"},
    "quality-check": {"awaiting_check"},
    "stage-2": {"stage2_open"},
    "ombudsman": {"stage2_responded", "escalation_refused"},
    "closed": {"withdrawn", "not_accepted"},
}


def test_each_queue_holds_the_complaints_its_definition_says(world, staff):
    by_reference = {complaint.reference: name for name, complaint in vars(world).items()}

    actual = {
        slug: {
            by_reference[reference]
            for reference in queue_queryset(
                QUEUES_BY_SLUG[slug], user=staff.me, today=TODAY, calendar=CALENDAR
            ).values_list("reference", flat=True)
        }
        for slug in EXPECTED
    }

    assert actual == EXPECTED


def test_each_queue_page_lists_its_complaints(client, world, staff):
    client.force_login(staff.me)
    names = {complaint.reference: name for name, complaint in vars(world).items()}

    for slug, expected in EXPECTED.items():
        response = client.get(url(slug))
        assert response.status_code == 200, slug
        assert {names[ref] for ref in listed(response)} == expected, slug


def test_the_queues_pages_name_their_queue_and_link_to_the_others(client, world, staff):
    client.force_login(staff.me)

    response = client.get(url("ombudsman"))

    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Ombudsman</h1>' in html
    assert "Ombudsman case records arrive with a later feature" in html
    for slug in EXPECTED:
        assert f'href="{url(slug)}"' in html
    assert f'href="{url("ombudsman")}" aria-current="page"' in html


def test_the_rows_show_deadline_days_left_and_tag(client, world, staff):
    client.force_login(staff.me)

    response = client.get(url("team"))

    rows = {row.complaint.reference: row for row in response.context["rows"]}
    due_soon = rows[world.mate_due_soon.reference]
    assert due_soon.complaint.next_due_on == D(2025, 12, 29)
    assert due_soon.complaint.next_due_kind == "acknowledgement"
    assert (due_soon.days_left, due_soon.tag.key) == (1, "due_soon")
    on_track = rows[world.mine_on_track.reference]
    assert (on_track.days_left, on_track.tag.key) == (3, "on_track")
    html = response.content.decode()
    # The date never breaks across lines in a narrow column.
    assert '<span class="app-nowrap">29 Dec 2025</span>' in html
    assert "Acknowledgement" in html
    assert "Due soon" in html
    assert "Mo Mate" in html


def test_responded_complaints_with_no_deadline_sort_after_those_with_one(client, world, staff):
    client.force_login(staff.me)

    response = client.get(url("mine"))

    assert listed(response) == [world.mine_on_track.reference, world.responded_mine.reference]
    responded = response.context["rows"][1]
    # Responded Fri 5 Dec 2025; the resident may ask for stage 2 for 20 working days, to Wed
    # 7 Jan 2026 (25, 26 Dec and 1 Jan are bank holidays): 7 working days after 24 Dec.
    assert (responded.waiting_until, responded.days_left, responded.tag) == (D(2026, 1, 7), 7, None)
    table_row = response.context["table_rows"][1]
    assert (table_row["due"], table_row["due_kind"]) == ("7 Jan 2026", "Escalation window ends")


def test_the_team_queue_is_empty_for_someone_in_no_team(client, world, staff):
    client.force_login(staff.manager)

    response = client.get(url("team"))

    assert listed(response) == []
    assert "You are not in a team" in response.content.decode()


def test_cases_sends_handlers_to_their_cases_and_managers_to_unallocated(client, staff):
    client.force_login(staff.me)
    assert client.get(reverse("casework:queues")).url == url("mine")

    client.force_login(staff.manager)
    assert client.get(reverse("casework:queues")).url == url("unallocated")


def test_an_unknown_queue_is_not_found(client, staff):
    client.force_login(staff.me)

    assert client.get(url("everything")).status_code == 404


# Who may see what -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["board", "admin"])
def test_people_who_do_not_handle_complaints_get_403(client, staff, who):
    client.force_login(getattr(staff, who))

    assert client.get(reverse("casework:queues")).status_code == 403
    assert client.get(url("mine")).status_code == 403
    assert client.get(url("closed")).status_code == 403
    assert client.post(reverse("casework:bulk-allocate"), {}).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, db):
    response = client.get(url("mine"))

    assert response.status_code == 302
    assert "/sign-in/" in response.url


def test_confidential_complaints_show_only_to_their_handler_and_those_allowed(client, staff, today):
    today(D(2026, 2, 2))  # all four are overdue: every handler's cases are in one queue
    mine = log(staff, D(2025, 12, 22), handler=staff.me, is_confidential=True)
    others = log(staff, D(2025, 12, 22), handler=staff.other, is_confidential=True)
    unallocated = log(staff, D(2025, 12, 22), is_confidential=True)
    ordinary = log(staff, D(2025, 12, 22))

    client.force_login(staff.me)
    assert set(listed(client.get(url("overdue")))) == refs(mine, ordinary)
    assert listed(client.get(url("unallocated"))) == [ordinary.reference]
    assert "Confidential" in client.get(url("mine")).content.decode()

    client.force_login(staff.other)
    assert set(listed(client.get(url("overdue")))) == refs(others, ordinary)

    client.force_login(staff.manager)
    assert set(listed(client.get(url("overdue")))) == refs(mine, others, unallocated, ordinary)


# Filters ------------------------------------------------------------------------------------------


@pytest.fixture
def filter_world(staff, today):
    """Four open complaints, all overdue by Mon 2 Feb 2026, differing in every filter."""
    today(D(2026, 2, 2))
    repairs = Category.objects.get(parent=None, name="Repairs")
    damp = Category.objects.get(parent=None, name="Damp and mould")
    c = SimpleNamespace()
    c.boiler = log(
        staff,
        D(2025, 12, 1),
        handler=staff.me,
        category=repairs,
        tenure_at_receipt=Tenure.LCRA_GENERAL_NEEDS,
        channel=Channel.PHONE,
        is_vulnerable=True,
        complainant=ResidentFactory(first_name="Ada", last_name="Lovelace"),
        property=PropertyFactory(address_line_1="12 Acacia Avenue", postcode="GW1 1AA"),
        description="The boiler has broken and nobody came.",
    )
    c.mould = log(
        staff,
        D(2025, 12, 8),
        handler=staff.mate,
        category=damp,
        tenure_at_receipt=Tenure.LCHO_SHARED_OWNERSHIP,
        channel=Channel.EMAIL,
        complainant=ResidentFactory(first_name="Brian", last_name="Boru"),
        property=PropertyFactory(address_line_1="3 Birch Close", postcode="GW2 2BB"),
        description="Black mould in the bathroom again.",
    )
    acknowledge(staff, c.mould, D(2025, 12, 9))
    c.stage2 = escalated(
        staff, staff.other, complainant=ResidentFactory(first_name="Dev", last_name="Dunmore")
    )
    # Acknowledged late (due Mon 8 Dec, done Mon 15 Dec): a Code timescale was missed.
    c.late = log(
        staff,
        D(2025, 12, 1),
        channel=Channel.LETTER,
        complainant=ResidentFactory(first_name="Cleo", last_name="Acacia"),
        description="My fence was left broken.",
    )
    acknowledge(staff, c.late, D(2025, 12, 15))
    for complaint in vars(c).values():
        complaint.refresh_from_db()
    c.repairs, c.damp = repairs, damp
    return c


def overdue(client, **params) -> set[str]:
    response = client.get(url("overdue"), params)
    assert response.status_code == 200
    return set(listed(response))


def refs(*complaints) -> set[str]:
    return {complaint.reference for complaint in complaints}


def test_without_filters_the_queue_holds_all_four(client, filter_world, staff):
    client.force_login(staff.manager)
    c = filter_world

    assert overdue(client) == refs(c.boiler, c.mould, c.stage2, c.late)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "2"}, ["stage2"]),
        ({"stage": "1"}, ["boiler", "mould", "late"]),
        ({"status": Status.STAGE1_OPEN}, ["mould", "late"]),
        ({"status": Status.RECEIVED}, ["boiler"]),
        ({"tenure": Tenure.LCHO_SHARED_OWNERSHIP}, ["mould"]),
        ({"vulnerable": "yes"}, ["boiler"]),
        ({"vulnerable": "no"}, ["mould", "stage2", "late"]),
        ({"channel": Channel.LETTER}, ["late"]),
        ({"breached": "yes"}, ["late"]),
        ({"breached": "no"}, ["boiler", "mould", "stage2"]),
        ({"handler": "none"}, ["stage2", "late"]),
        ({"stage": "1", "channel": Channel.PHONE}, ["boiler"]),
    ],
)
def test_each_filter_narrows_the_queue(client, filter_world, staff, params, expected):
    client.force_login(staff.manager)

    assert overdue(client, **params) == refs(*(getattr(filter_world, n) for n in expected))


def test_the_category_and_handler_filters(client, filter_world, staff):
    client.force_login(staff.manager)
    c = filter_world

    assert overdue(client, category=c.repairs.pk) == refs(c.boiler)
    assert overdue(client, category=c.damp.pk) == refs(c.mould)
    assert overdue(client, handler=staff.mate.pk) == refs(c.mould)


def test_the_received_date_range_includes_both_ends(client, filter_world, staff):
    client.force_login(staff.manager)
    c = filter_world

    from_8th = {"received_from_day": "8", "received_from_month": "12", "received_from_year": "2025"}
    to_8th = {"received_to_day": "8", "received_to_month": "12", "received_to_year": "2025"}

    assert overdue(client, **from_8th) == refs(c.mould)
    assert overdue(client, **to_8th) == refs(c.boiler, c.mould, c.stage2, c.late)
    assert overdue(client, **from_8th, **to_8th) == refs(c.mould)
    assert (
        overdue(client, received_to_day="30", received_to_month="Nov", received_to_year="2025")
        == set()
    )


def test_a_filter_that_is_wrong_is_shown_and_the_others_still_apply(client, filter_world, staff):
    client.force_login(staff.manager)

    response = client.get(
        url("overdue"),
        {
            "channel": Channel.LETTER,
            "received_from_day": "31",
            "received_from_month": "2",
            "received_from_year": "2025",
        },
    )

    assert response.status_code == 200
    assert set(listed(response)) == refs(filter_world.late)
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Received on or after must be a real date" in html
    assert "<title>Error: " in html


def test_received_to_before_received_from_is_an_error(client, filter_world, staff):
    client.force_login(staff.manager)

    response = client.get(
        url("overdue"),
        {
            "received_from_day": "8",
            "received_from_month": "12",
            "received_from_year": "2025",
            "received_to_day": "1",
            "received_to_month": "12",
            "received_to_year": "2025",
        },
    )

    assert "must be the same as or after" in response.content.decode()


def test_selected_filters_each_link_to_the_queue_without_them(client, filter_world, staff):
    client.force_login(staff.manager)

    response = client.get(url("overdue"), {"stage": "1", "channel": "phone", "sort": "reference"})

    selected = response.context["selected_filters"]
    assert [(s["heading"], s["text"]) for s in selected] == [
        ("Stage", "Stage 1"),
        ("How it came in", "Phone"),
    ]
    assert selected[0]["href"] == "?channel=phone&sort=reference"
    assert selected[1]["href"] == "?stage=1&sort=reference"


# Search -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("Lovelace", ["boiler"]),
        ("ada", ["boiler"]),  # any case
        ("Acacia", ["boiler", "late"]),  # an address and a surname
        ("acacia avenue", ["boiler"]),  # every word must match somewhere
        ("GW2 2BB", ["mould"]),  # postcode
        ("mould bathroom", ["mould"]),  # the complaint's own words
        ("broken", ["boiler", "late"]),
        ("zebra", []),
    ],
)
def test_search_matches_name_address_and_complaint_text(
    client, filter_world, staff, search, expected
):
    client.force_login(staff.manager)

    assert overdue(client, q=search) == refs(*(getattr(filter_world, n) for n in expected))


def test_a_reference_finds_that_complaint_only(client, filter_world, staff):
    client.force_login(staff.manager)
    c = filter_world

    assert overdue(client, q=c.mould.reference) == refs(c.mould)
    assert overdue(client, q=c.mould.reference.lower()) == refs(c.mould)
    assert overdue(client, q=c.mould.reference.removeprefix("C-")) == refs(c.mould)
    assert overdue(client, q=f"  {c.mould.reference} ") == refs(c.mould)


def test_the_start_of_a_reference_finds_every_complaint_it_begins(client, filter_world, staff):
    client.force_login(staff.manager)
    c = filter_world
    everything = refs(c.boiler, c.mould, c.stage2, c.late)

    assert overdue(client, q="C-2025-") == everything
    assert overdue(client, q="c-2025") == everything
    assert overdue(client, q="C-2024") == set()
    assert overdue(client, q=c.late.reference[:-1]) == {
        ref for ref in everything if ref.startswith(c.late.reference[:-1])
    }


def test_reference_searches_take_the_indexed_path(db):
    assert str(queue_selectors.search_q("c-2025-00042")) == "(AND: ('reference', 'C-2025-00042'))"
    for wide in ("C-2025-", "C-20"):
        assert {name for name, _ in queue_selectors.search_q(wide).children} <= {
            "reference__gte",
            "reference__lt",
            "reference__startswith",
        }


def test_a_narrow_reference_prefix_is_looked_up_before_the_queue_is_walked(db, staff):
    # With a year and a digit the prefix leaves a few hundred references; SQLite must gather
    # those through the reference index rather than walk every overdue complaint checking each.
    overdue_queue = QUEUES_BY_SLUG["overdue"]
    complaints = queue_queryset(
        overdue_queue, user=staff.me, filters=QueueFilters(search="C-2025-00")
    ).order_by()
    if connection.vendor != "sqlite":
        assert "LIKE" in str(complaints.query)
        return
    plan = complaints.explain()
    assert "INTEGER PRIMARY KEY" in plan
    assert "complaints_complaint_1 (reference>? AND reference<?)" in plan
    assert "open_work_idx" not in plan


# Sorting and paging -----------------------------------------------------------------------------


def test_the_default_sort_is_the_next_deadline(client, filter_world, staff):
    client.force_login(staff.manager)
    c = filter_world

    response = client.get(url("overdue"))

    # Due: boiler's acknowledgement Mon 8 Dec; stage 2's acknowledgement Mon 15 Dec; mould
    # (acknowledged Tue 9 Dec) response Tue 23 Dec; late (acknowledged Mon 15 Dec) response
    # Wed 31 Dec, the tenth working day after it with Christmas skipped.
    assert listed(response) == [
        c.boiler.reference,
        c.stage2.reference,
        c.mould.reference,
        c.late.reference,
    ]
    assert "sorted by next deadline, soonest first" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("-due", ["late", "mould", "stage2", "boiler"]),
        ("received", ["boiler", "stage2", "late", "mould"]),
        ("-received", ["mould", "late", "stage2", "boiler"]),
        ("reference", ["boiler", "mould", "stage2", "late"]),
        ("-reference", ["late", "stage2", "mould", "boiler"]),
    ],
)
def test_each_sort(client, filter_world, staff, sort, order):
    client.force_login(staff.manager)

    response = client.get(url("overdue"), {"sort": sort})

    assert listed(response) == [getattr(filter_world, name).reference for name in order]


def test_an_unknown_sort_falls_back_to_the_queue_default(client, filter_world, staff):
    client.force_login(staff.manager)

    response = client.get(url("overdue"), {"sort": "drop table"})

    assert response.status_code == 200
    assert response.context["sort"] == Sort.DUE


def test_column_headers_sort_by_links_that_keep_the_filters(client, filter_world, staff):
    client.force_login(staff.manager)

    response = client.get(url("overdue"), {"channel": "phone", "sort": "reference", "page": "1"})

    headers = response.context["headers"]
    assert headers["reference"] == {
        "href": "?channel=phone&sort=-reference",
        "aria_sort": "ascending",
        "next_label": "reference, highest first",
    }
    assert headers["due"]["href"] == "?channel=phone&sort=due"
    assert headers["due"]["aria_sort"] == "none"
    assert headers["received"]["href"] == "?channel=phone&sort=-received"
    html = response.content.decode()
    assert 'aria-sort="ascending"' in html
    assert 'href="?channel=phone&amp;sort=-reference"' in html
    # Applying filters keeps the sort.
    assert '<input type="hidden" name="sort" value="reference">' in html


@pytest.fixture
def thirty_one(staff, today):
    """31 unallocated complaints received from 1 to 22 Dec 2025, stage 1, open."""
    days = [D(2025, 12, d) for d in (1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 22)]
    complaints = [
        log(staff, days[n % len(days)], channel=Channel.EMAIL if n % 2 else Channel.PHONE)
        for n in range(31)
    ]
    return complaints


def test_pages_hold_25_rows_and_keep_filters_and_sort(client, staff, thirty_one):
    client.force_login(staff.me)

    first = client.get(url("unallocated"), {"sort": "reference"})
    second = client.get(url("unallocated"), {"sort": "reference", "page": "2"})
    beyond = client.get(url("unallocated"), {"sort": "reference", "page": "99"})
    nonsense = client.get(url("unallocated"), {"sort": "reference", "page": "x"})

    ordered = sorted(c.reference for c in thirty_one)
    assert listed(first) == ordered[:25]
    assert listed(second) == ordered[25:]
    assert listed(beyond) == ordered[25:]
    assert listed(nonsense) == ordered[:25]
    html = first.content.decode()
    assert 'class="govuk-pagination"' in html
    assert 'href="?sort=reference&amp;page=2"' in html
    assert "31 complaints" in html
    assert "Showing 1 to 25" in html


def test_paging_keeps_the_filters(client, staff, thirty_one):
    client.force_login(staff.me)

    response = client.get(url("unallocated"), {"channel": "phone"})

    assert len(listed(response)) == 16  # 16 of the 31 came by phone
    assert "govuk-pagination" not in response.content.decode()
    emails = client.get(url("unallocated"), {"channel": "email", "sort": "-received"})
    assert len(listed(emails)) == 15


# Queries -----------------------------------------------------------------------------------------


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["me", "manager"])
def test_a_queue_page_runs_the_same_queries_for_one_row_or_a_full_page(
    client, staff, today, who, django_assert_max_num_queries
):
    client.force_login(getattr(staff, who))
    log(staff, D(2025, 12, 1))
    one_row = count_queries(client, url("unallocated"))

    for n in range(34):
        log(
            staff,
            D(2025, 12, 1 + n % 20),
            category=Category.objects.filter(parent=None)[n % 5],
            property=PropertyFactory() if n % 2 else None,
        )
    with django_assert_max_num_queries(one_row):
        response = client.get(url("unallocated"), {"sort": "received", "stage": "1"})
    assert len(listed(response)) == 25
    with django_assert_max_num_queries(one_row):
        client.get(url("unallocated"), {"q": "damp bedroom", "page": "2"})
    assert one_row <= 14


def test_a_full_page_of_allocated_rows_costs_no_more(
    client, staff, today, django_assert_max_num_queries
):
    client.force_login(staff.manager)
    log(staff, D(2025, 12, 1), handler=staff.me)
    one_row = count_queries(client, url("overdue"))
    for n in range(34):
        log(staff, D(2025, 12, 1 + n % 10), handler=[staff.me, staff.mate, staff.other][n % 3])

    with django_assert_max_num_queries(one_row):
        response = client.get(url("overdue"))
    assert len(listed(response)) == 25


# Bulk allocation ---------------------------------------------------------------------------------


def checkbox(complaint) -> str:
    return f"{complaint.pk}:{complaint.version}"


def test_only_allocators_see_the_checkboxes(client, world, staff):
    client.force_login(staff.me)
    assert 'name="complaint"' not in client.get(url("team")).content.decode()

    client.force_login(staff.manager)
    html = client.get(url("unallocated")).content.decode()
    assert 'name="complaint"' in html
    assert f'value="{checkbox(world.unallocated_overdue)}"' in html
    assert "Allocate the complaints you ticked" in html


def test_a_handler_cannot_bulk_allocate(client, world, staff):
    client.force_login(staff.me)

    response = client.post(
        reverse("casework:bulk-allocate"),
        {
            "complaint": [checkbox(world.unallocated_overdue)],
            "handler": staff.me.pk,
            "queue": "unallocated",
        },
    )

    assert response.status_code == 403
    world.unallocated_overdue.refresh_from_db()
    assert world.unallocated_overdue.handler is None


def test_bulk_allocation_allocates_each_ticked_complaint(client, staff, today):
    first = log(staff, D(2025, 12, 15))
    second = log(staff, D(2025, 12, 16))
    untouched = log(staff, D(2025, 12, 17))
    client.force_login(staff.manager)

    response = client.post(
        reverse("casework:bulk-allocate") + "?sort=reference&channel=phone",
        {
            "complaint": [checkbox(first), checkbox(second)],
            "handler": staff.mate.pk,
            "queue": "unallocated",
        },
    )

    assert response.status_code == 302
    assert response.url == url("unallocated") + "?sort=reference&channel=phone"
    for complaint in (first, second):
        complaint.refresh_from_db()
        assert complaint.handler == staff.mate
        assert complaint.stages.get(number=1).handler == staff.mate
        assert complaint.events.filter(action="allocated", actor=staff.manager).count() == 1
    untouched.refresh_from_db()
    assert untouched.handler is None
    page = client.get(response.url).content.decode()
    assert "2 complaints allocated to Mo Mate" in page
    assert "govuk-notification-banner--success" in page
    # The report shows once.
    assert "allocated to Mo Mate" not in client.get(response.url).content.decode()


def test_bulk_allocation_reports_each_refusal_with_the_services_reason(client, staff, today):
    fine = log(staff, D(2025, 12, 15))
    stage2 = escalated(staff, staff.me)  # Hana considered it at stage 1
    client.force_login(staff.manager)

    response = client.post(
        reverse("casework:bulk-allocate"),
        {
            "complaint": [checkbox(fine), checkbox(stage2)],
            "handler": staff.me.pk,
            "queue": "unallocated",
        },
        follow=True,
    )

    fine.refresh_from_db()
    stage2.refresh_from_db()
    assert fine.handler == staff.me
    assert stage2.handler is None
    html = response.content.decode()
    assert "1 complaint allocated to Hana Handler" in html
    assert "1 complaint not allocated" in html
    assert (
        f"{stage2.reference}</a>: Hana Handler was involved in this complaint at stage 1, "
        "so cannot consider it at stage 2"
    ) in html


def test_bulk_moving_complaints_that_have_a_handler_needs_a_reason(client, staff, today):
    theirs = log(staff, D(2025, 12, 15), handler=staff.other)
    client.force_login(staff.manager)
    post = {"complaint": [checkbox(theirs)], "handler": staff.me.pk, "queue": "team"}

    refused = client.post(reverse("casework:bulk-allocate"), post, follow=True)

    theirs.refresh_from_db()
    assert theirs.handler == staff.other
    assert "Say why stage 1 is moving from" in refused.content.decode()
    client.post(reverse("casework:bulk-allocate"), {**post, "reason": "Rebalancing work"})
    theirs.refresh_from_db()
    assert theirs.handler == staff.me
    assert theirs.events.order_by("-id").first().summary.endswith(": Rebalancing work")


def test_bulk_allocation_refuses_a_complaint_changed_since_the_page_was_drawn(client, staff, today):
    complaint = log(staff, D(2025, 12, 15))
    seen = checkbox(complaint)
    services.complaint_allocate(acting_user=staff.manager, complaint=complaint, handler=staff.other)
    client.force_login(staff.manager)

    response = client.post(
        reverse("casework:bulk-allocate"),
        {"complaint": [seen], "handler": staff.me.pk, "queue": "overdue"},
        follow=True,
    )

    complaint.refresh_from_db()
    assert complaint.handler == staff.other
    assert "was changed by someone else" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"handler": "ME"}, "Select the complaints to allocate"),
        ({"complaint": "ticked"}, "Select who to allocate them to"),
        ({"complaint": "nonsense", "handler": "ME"}, "Select the complaints to allocate from"),
    ],
)
def test_an_incomplete_bulk_allocation_shows_the_queue_with_errors(
    client, staff, today, data, message
):
    complaint = log(staff, D(2025, 12, 15))
    client.force_login(staff.manager)
    data = {
        key: {"ME": staff.me.pk, "ticked": checkbox(complaint)}.get(value, value)
        for key, value in data.items()
    }

    response = client.post(
        reverse("casework:bulk-allocate") + "?sort=reference",
        {**data, "queue": "unallocated"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert listed(response) == [complaint.reference]
    assert response.context["queue"].slug == "unallocated"
    complaint.refresh_from_db()
    assert complaint.handler is None
    if "complaint" in data and data["complaint"] != "nonsense":
        assert f'value="{checkbox(complaint)}" checked' in html


def test_queue_page_works_without_a_request(staff, today, db):
    """queue_page works without a request (the API and exports will call it too)."""
    complaint = log(staff, D(2025, 12, 18), handler=staff.me)

    page = queue_page(
        QUEUES_BY_SLUG["due-soon"], user=staff.me, filters=QueueFilters(stage=1), today=TODAY
    )

    assert [row.complaint.pk for row in page.rows] == [complaint.pk]
    assert page.total == 1
    assert page.rows[0].days_left == 1


def test_the_team_page_reads_its_members_once_and_nothing_per_row(
    client, staff, today, django_assert_max_num_queries
):
    client.force_login(staff.me)
    log(staff, D(2025, 12, 22), handler=staff.mate)
    one_row = count_queries(client, url("team"))
    for n in range(30):
        log(staff, D(2025, 12, 1 + n % 20), handler=[staff.me, staff.mate, staff.other][n % 3])

    with django_assert_max_num_queries(one_row):
        response = client.get(url("team"))
    assert len(listed(response)) == 21  # Mo's first one, and Hana's and Mo's 20 of the 30


# How the queries are shaped for the indexes -----------------------------------------------------


def test_open_only_queues_ask_for_a_deadline_rather_than_a_status(staff, db):
    sql = str(
        queue_queryset(
            QUEUES_BY_SLUG["overdue"], user=staff.manager, today=TODAY, calendar=CALENDAR
        ).query
    )

    assert '"next_due_on" IS NOT NULL' in sql
    assert '"status" IN' not in sql


def test_the_page_is_picked_with_the_status_list_hidden_from_sqlite_index_choice(staff, db):
    closed = QUEUES_BY_SLUG["closed"]
    picking = str(
        queue_queryset(
            closed, user=staff.manager, today=TODAY, calendar=CALENDAR, status_index=False
        ).query
    )
    counting = str(queue_queryset(closed, user=staff.manager, today=TODAY, calendar=CALENDAR).query)

    hidden = '+"complaints_complaint"."status" IN'
    assert (hidden in picking) == (connection.vendor == "sqlite")
    assert hidden not in counting
    assert '"complaints_complaint"."status" IN' in counting


@pytest.mark.parametrize(
    ("slug", "sort", "index"),
    [
        # Whole statuses sorted by date received: the index gives the order and holds the
        # status and visibility, so even page 200 is picked without reading a complaint row.
        ("closed", Sort.RECEIVED_DESC, "complaint_received_cover_idx"),
        ("ombudsman", Sort.RECEIVED_DESC, "complaint_received_cover_idx"),
        # Open complaints in any order: the open caseload's index holds every column sorted by.
        ("overdue", Sort.REFERENCE, "complaint_open_work_idx"),
        ("overdue", Sort.RECEIVED_DESC, "complaint_open_work_idx"),
    ],
)
def test_a_queue_page_is_picked_from_an_index_alone(db, staff, slug, sort, index):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL chooses its plan from table statistics")
    picking = queue_queryset(
        QUEUES_BY_SLUG[slug], user=staff.me, sort=sort, status_index=False
    ).values("pk")[:25]

    assert f"COVERING INDEX {index}" in picking.explain()

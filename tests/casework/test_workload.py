"""Home page figures (casework.selectors.workload), worked out by hand.

"Today" is Wednesday 11 March 2026. No bank holidays fall between 5 January and 31 March 2026,
so working days are Monday to Friday. Due soon (at most 2 working days left) is a next deadline
on 11, 12 or 13 March; overdue is before 11 March. The reporting year is 1 April 2025 to
31 March 2026 (April start, the default).

The complaints (``build_team``), each through the real services; ack = acknowledgement:

==  ==========  ==========================================  ===========  ============  =========
#   handler     story                                       next due     team columns  breach
==  ==========  ==========================================  ===========  ============  =========
1   Alex        received Wed 4 Mar                          ack 11 Mar   soon, today
2   Alex        received Thu 5 Mar                          ack 12 Mar   soon
3   Alex        received Mon 9 Mar                          ack 16 Mar
4   Alex        received Tue 3 Mar                          ack 10 Mar   overdue       open
5   Bea         received Fri 20 Feb                         ack 27 Feb   overdue       (February)
6   Bea         rec. 23 Feb, ack 25 Feb, drafted            resp 11 Mar  soon, today
7   Bea         rec. 23 Feb (ack due 2 Mar), ack 3 Mar      resp 17 Mar                late ack
8   nobody      rec. 13 Feb (ack due 20 Feb), ack 23 Feb    resp 9 Mar   overdue       open
9   nobody      received Fri 6 Mar                          ack 13 Mar   soon
10  Alex        rec. 2 Feb, ack 3 Feb, responded 2 Mar      (resp due 17 Feb)          late resp
11  Alex        as 10, extended to 3 Mar, responded 2 Mar   (within the extension)
12  Alex        rec. 16 Feb, ack 17 Feb, responded 2 Mar    (resp due 3 Mar)
13  Alex        rec. 5 Jan, ack 6 Jan, responded 2 Feb      (resp due 20 Jan)          (February)
14  nobody      stage 1 responded 19 Jan, escalated 2 Mar   stage 2 ack 9 Mar  overdue  open
15  Bea         as 6, confidential, drafted                 resp 11 Mar  soon, today
16  Alex        received Mon 9 Mar, withdrawn 10 Mar        (not open)
17  Cal (left)  received Mon 9 Mar                          ack 16 Mar
18  Alex        rec. 3 Mar 2025, responded 10 Mar 2025      (the year before)
==  ==========  ==========================================  ===========  ============  =========
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from putright.casework.selectors import workload
from putright.casework.selectors.workload import (
    board_figures,
    breaches_in_month,
    handler_work,
    month_bounds,
    reviewer_work,
    team_work,
)
from putright.complaints import services
from putright.complaints.models import Channel, Complaint
from tests.complaints import helpers as flow
from tests.complaints.helpers import acknowledge, respond
from tests.people.factories import ResidentFactory, StaffUserFactory

D = dt.date
LONDON = ZoneInfo("Europe/London")
TODAY = D(2026, 3, 11)


class Team:
    """The people and complaints of the module docstring, by number."""

    def __init__(self):
        self.alex = StaffUserFactory(role="Case handler", full_name="Alex Able")
        self.bea = StaffUserFactory(role="Case handler", full_name="Bea Busy")
        self.cal = StaffUserFactory(role="Case handler", full_name="Cal Left", is_active=False)
        self.manager = StaffUserFactory(role="Complaints manager", full_name="Mo Manager")
        self.reviewer = StaffUserFactory(role="Quality reviewer", full_name="Quinn Reviewer")
        self.board = StaffUserFactory(role="Board member", full_name="Bola Board")
        self.nobody = StaffUserFactory(full_name="Sam Norole")
        self.c: dict[int, Complaint] = {}

    def log(self, number, received, handler=None, **kwargs):
        complaint = services.complaint_log(
            acting_user=self.manager,
            complainant=ResidentFactory(),
            channel=Channel.EMAIL,
            received_at=dt.datetime.combine(received, dt.time(9), tzinfo=LONDON),
            description=f"Complaint {number}",
            handler=handler,
            **kwargs,
        )
        self.c[number] = complaint
        return complaint

    def ack(self, number, on):
        acknowledge(acting_user=self.manager, complaint=self.c[number], on=on)

    def respond(self, number, on):
        respond(acting_user=self.manager, complaint=self.c[number], on=on)

    def draft(self, number, by, on):
        flow.draft(acting_user=by, complaint=self.c[number], on=on)


def build_team() -> Team:
    t = Team()
    t.log(1, D(2026, 3, 4), t.alex)
    t.log(2, D(2026, 3, 5), t.alex)
    t.log(3, D(2026, 3, 9), t.alex)
    t.log(4, D(2026, 3, 3), t.alex)
    t.log(5, D(2026, 2, 20), t.bea)
    t.log(6, D(2026, 2, 23), t.bea)
    t.ack(6, D(2026, 2, 25))
    t.draft(6, t.bea, D(2026, 3, 9))
    t.log(7, D(2026, 2, 23), t.bea)
    t.ack(7, D(2026, 3, 3))
    t.log(8, D(2026, 2, 13))
    t.ack(8, D(2026, 2, 23))
    t.log(9, D(2026, 3, 6))
    t.log(10, D(2026, 2, 2), t.alex)
    t.ack(10, D(2026, 2, 3))
    t.respond(10, D(2026, 3, 2))
    t.log(11, D(2026, 2, 2), t.alex)
    t.ack(11, D(2026, 2, 3))
    services.stage_extend(
        acting_user=t.alex,
        complaint=t.c[11],
        new_due=D(2026, 3, 3),
        reason="Waiting for a survey",
        notice_on=D(2026, 2, 16),
        ombudsman_details_given=True,
    )
    t.respond(11, D(2026, 3, 2))
    t.log(12, D(2026, 2, 16), t.alex)
    t.ack(12, D(2026, 2, 17))
    t.respond(12, D(2026, 3, 2))
    t.log(13, D(2026, 1, 5), t.alex)
    t.ack(13, D(2026, 1, 6))
    t.respond(13, D(2026, 2, 2))
    t.log(14, D(2026, 1, 5), t.alex)
    t.ack(14, D(2026, 1, 6))
    t.respond(14, D(2026, 1, 19))
    services.complaint_escalate(acting_user=t.manager, complaint=t.c[14], on=D(2026, 3, 2))
    t.log(15, D(2026, 2, 23), t.bea, is_confidential=True)
    t.ack(15, D(2026, 2, 25))
    t.draft(15, t.bea, D(2026, 3, 9))
    t.log(16, D(2026, 3, 9), t.alex)
    services.complaint_withdraw(acting_user=t.alex, complaint=t.c[16], on=D(2026, 3, 10))
    t.log(17, D(2026, 3, 9), t.cal)
    t.log(18, D(2025, 3, 3), t.alex)
    t.ack(18, D(2025, 3, 4))
    t.respond(18, D(2025, 3, 10))
    for complaint in t.c.values():
        complaint.refresh_from_db()
    return t


@pytest.fixture
def team(db):
    return build_team()


def test_the_stored_deadlines_are_the_hand_worked_ones(team):
    due = {n: (c.next_due_on, c.next_due_kind) for n, c in team.c.items() if c.next_due_on}

    assert due == {
        1: (D(2026, 3, 11), "acknowledgement"),
        2: (D(2026, 3, 12), "acknowledgement"),
        3: (D(2026, 3, 16), "acknowledgement"),
        4: (D(2026, 3, 10), "acknowledgement"),
        5: (D(2026, 2, 27), "acknowledgement"),
        6: (D(2026, 3, 11), "response"),
        7: (D(2026, 3, 17), "response"),
        8: (D(2026, 3, 9), "response"),
        9: (D(2026, 3, 13), "acknowledgement"),
        14: (D(2026, 3, 9), "acknowledgement"),
        15: (D(2026, 3, 11), "response"),
        17: (D(2026, 3, 16), "acknowledgement"),
    }
    assert {n for n, c in team.c.items() if c.awaiting_sign_off} == {6, 15}


def test_a_handler_sees_their_own_open_cases_by_next_deadline(team):
    work = handler_work(user=team.alex, today=TODAY)

    assert (work.open_count, work.due_today_count, work.overdue_count) == (4, 1, 1)
    assert [c.reference for c in work.open_cases] == [team.c[n].reference for n in (4, 1, 2, 3)]
    assert [c.working_days_left for c in work.open_cases] == [-1, 0, 1, 3]
    assert [c.days_label for c in work.open_cases] == [
        "Overdue by 1 working day",
        "Due today",
        "1 working day left",
        "3 working days left",
    ]
    assert [c.pk for c in work.due_today] == [team.c[1].pk]
    assert [c.pk for c in work.overdue] == [team.c[4].pk]


def test_another_handler_and_their_confidential_case(team):
    work = handler_work(user=team.bea, today=TODAY)

    assert (work.open_count, work.due_today_count, work.overdue_count) == (4, 2, 1)
    assert [c.pk for c in work.due_today] == [team.c[6].pk, team.c[15].pk]
    assert [c.pk for c in work.overdue] == [team.c[5].pk]


def test_the_handler_lists_are_cut_at_ten(db):
    handler = StaffUserFactory(role="Case handler")
    manager = StaffUserFactory(role="Complaints manager")
    for day in range(2, 14):  # 12 complaints received 2 to 13 March
        services.complaint_log(
            acting_user=manager,
            complainant=ResidentFactory(),
            channel=Channel.PHONE,
            received_at=dt.datetime(2026, 3, day, 9, tzinfo=LONDON),
            description="Damp",
            handler=handler,
        )

    work = handler_work(user=handler, today=TODAY)

    assert work.open_count == 12
    assert len(work.open_cases) == 10
    assert work.open_cases[0].next_due_on == D(2026, 3, 9)  # received Monday 2 March


def test_the_reviewer_sees_the_drafts_they_may_see(team):
    reviewer = reviewer_work(user=team.reviewer, today=TODAY)
    manager = reviewer_work(user=team.manager, today=TODAY)

    assert reviewer.awaiting_count == 1  # 15 is confidential
    assert [c.pk for c in reviewer.awaiting] == [team.c[6].pk]
    assert manager.awaiting_count == 2
    assert {c.pk for c in manager.awaiting} == {team.c[6].pk, team.c[15].pk}


def test_the_team_workload(team):
    work = team_work(today=TODAY)

    rows = [(r.name, r.open, r.due_soon, r.overdue) for r in work.handlers]
    assert rows == [
        ("Alex Able", 4, 2, 1),
        ("Bea Busy", 4, 2, 1),
        ("Cal Left", 1, 0, 0),  # no longer active, but still holds a complaint
        ("Mo Manager", 0, 0, 0),
        ("Quinn Reviewer", 0, 0, 0),
    ]
    assert (work.unallocated.open, work.unallocated.due_soon, work.unallocated.overdue) == (3, 1, 2)
    assert (work.open_total, work.due_soon_total, work.overdue_total) == (12, 5, 4)
    assert work.due_soon_until == D(2026, 3, 13)


def test_a_left_handler_with_nothing_open_is_not_listed(db):
    StaffUserFactory(role="Case handler", full_name="Gone Away", is_active=False)

    assert [r.name for r in team_work(today=TODAY).handlers] == []


def test_due_soon_counts_working_days_over_a_weekend(team):
    # From Friday 13 March, 2 working days reach Tuesday 17 March: 9, 3, 17 and 7 are due
    # by then (13, 16, 16 and 17 March); 1, 2, 4, 5, 6, 8, 14 and 15 are overdue.
    work = team_work(today=D(2026, 3, 13))

    assert (work.due_soon_total, work.overdue_total) == (4, 8)
    assert work.due_soon_until == D(2026, 3, 17)


def test_breaches_this_month(team):
    breaches = breaches_in_month(today=TODAY)

    assert (breaches.month_start, breaches.month_end) == (D(2026, 3, 1), D(2026, 3, 31))
    assert breaches.late_acknowledgements == 1  # 7 (5 and 8 were due in February)
    assert breaches.late_responses == 1  # 10 (11 within its extension, 13 in February)
    assert breaches.open_past_due == 3  # 4, 8 and 14's stage 2 (5 in February, 1/6/15 today)
    assert breaches.total == 5
    assert team_work(today=TODAY).breaches == breaches


def test_breaches_last_month(team):
    # February: 8's late acknowledgement (due 20 Feb) and 13's late response (2 Feb); 5 is open
    # and its acknowledgement was due 27 Feb, before "today" (2 March).
    breaches = breaches_in_month(today=D(2026, 2, 27))
    assert (breaches.late_acknowledgements, breaches.late_responses) == (1, 1)
    assert breaches.open_past_due == 0  # 5 is due today, 27 February: not missed yet
    assert breaches_in_month(today=D(2026, 3, 2)).open_past_due == 0  # February's are not March's


def test_board_figures(team):
    figures = board_figures(today=TODAY)

    assert (figures.open_stage1, figures.open_stage2, figures.open_total) == (11, 1, 12)
    assert (figures.responded_stage1_this_month, figures.responded_stage2_this_month) == (3, 0)
    assert figures.responded_this_month == 3
    assert figures.year_label == "2025/26"
    assert (figures.year_start, figures.year_end) == (D(2025, 4, 1), D(2026, 3, 31))
    # Responded 1 April 2025 to 11 March 2026: 10, 11, 12, 13 and 14 (18 was the year before);
    # within: 11 (extension), 12 and 14.
    assert (figures.stage1_within_code_in_year, figures.stage1_responded_in_year) == (3, 5)
    assert figures.stage1_within_code_percent == Decimal("60.0")


def test_the_percentage_rounds_half_up_and_is_none_without_responses(db):
    empty = board_figures(today=TODAY)
    assert empty.stage1_within_code_percent is None
    two_of_three = workload.BoardFigures(
        **{**empty.__dict__, "stage1_responded_in_year": 3, "stage1_within_code_in_year": 2}
    )
    assert two_of_three.stage1_within_code_percent == Decimal("66.7")
    one_of_eight = workload.BoardFigures(
        **{**empty.__dict__, "stage1_responded_in_year": 8, "stage1_within_code_in_year": 1}
    )
    assert one_of_eight.stage1_within_code_percent == Decimal("12.5")


def test_a_calendar_year_reporting_year(team):
    from putright.organisation.selectors import get_organisation

    organisation = get_organisation()
    organisation.reporting_year_start_month = 1
    organisation.save()

    figures = board_figures(today=TODAY)

    assert figures.year_label == "2026"
    assert (figures.stage1_within_code_in_year, figures.stage1_responded_in_year) == (3, 5)


def test_month_bounds():
    assert month_bounds(D(2026, 2, 14)) == (D(2026, 2, 1), D(2026, 2, 28))
    assert month_bounds(D(2024, 2, 29)) == (D(2024, 2, 1), D(2024, 2, 29))
    assert month_bounds(D(2025, 12, 31)) == (D(2025, 12, 1), D(2025, 12, 31))


@pytest.mark.parametrize(
    "read",
    [
        lambda t: handler_work(user=t.alex, today=TODAY),
        lambda t: reviewer_work(user=t.manager, today=TODAY),
        lambda t: team_work(today=TODAY),
        lambda t: board_figures(today=TODAY),
    ],
)
def test_the_figures_take_the_same_queries_however_many_complaints(
    team, read, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    read(team)  # warm the per-process calendar
    with CaptureQueriesContext(connection) as first:
        read(team)
    for day in (2, 3, 4, 5, 6):
        for handler in (team.alex, team.bea, None):
            services.complaint_log(
                acting_user=team.manager,
                complainant=ResidentFactory(),
                channel=Channel.PHONE,
                received_at=dt.datetime(2026, 3, day, 9, tzinfo=LONDON),
                description="More",
                handler=handler,
            )

    with django_assert_num_queries(len(first)):
        read(team)


def test_the_home_page_counts_are_the_queues_lengths(team, set_today):
    """One definition of open, due today, due soon and overdue: a count on a home page is the
    number of complaints the queue it links to lists."""
    from putright.casework.selectors.queues import QUEUES_BY_SLUG, queue_page

    set_today(TODAY)

    def length(slug: str, user) -> int:
        return queue_page(QUEUES_BY_SLUG[slug], user=user).total

    for user in (team.alex, team.bea):
        work = handler_work(user=user)
        assert work.case_count == length("mine", user)
        assert work.open_count + work.awaiting_resident_count == work.case_count
    load = team_work()
    assert load.due_soon_total > 0 and load.overdue_total > 0
    assert load.due_soon_total == length("due-soon", team.manager)
    assert load.overdue_total == length("overdue", team.manager)
    assert load.unallocated.open == length("unallocated", team.manager)

"""The demo's live caseload: on its as-at date there is work in every queue and on every home page.

Each as-at date runs the demo once (a small landlord, so the generator runs in seconds) and every
test reads that run; the run is rolled back afterwards. Counts are taken with queries on the
complaint fields the queues and home pages read, not with the demo's own bookkeeping.
"""

import datetime as dt
import re
from collections import Counter
from io import StringIO

import pytest
from django.db import transaction

from putright.accounts.models import User
from putright.casework.selectors.queues import QUEUES_BY_SLUG, queue_queryset
from putright.casework.selectors.workload import (
    breaches_in_month,
    handler_work,
    reviewer_work,
    team_work,
)
from putright.complaints import services
from putright.complaints.models import (
    Action,
    Complaint,
    ComplaintEvent,
    DueKind,
    Extension,
    Stage,
    Status,
)
from putright.complaints.services import LINK_ACTIONS
from putright.core.errors import StepRefused
from putright.demo.complaints import PER_THOUSAND_HOMES_A_YEAR
from putright.demo.generator import DemoGenerator
from putright.organisation.selectors import current_calendar
from putright.people.models import Property
from tests.demo.conftest import kept_while_used

pytestmark = pytest.mark.django_db

SCALE = 0.02  # 160 homes: about 11 complaints a year
TERM_WEDNESDAY = dt.date(2026, 11, 18)
AFTER_BANK_HOLIDAY = dt.date(2026, 9, 1)  # Tuesday after the August bank holiday, a month's first
OPEN = (Status.RECEIVED, Status.STAGE1_OPEN, Status.STAGE2_OPEN)
HANDLERS = ("handler@demo.putright.test", "handler2@demo.putright.test")
REVIEWERS = ("reviewer@demo.putright.test", "reviewer2@demo.putright.test")
MANAGER = "manager@demo.putright.test"


def run(as_at: dt.date, seed: int = 2024) -> str:
    out = StringIO()
    DemoGenerator(seed=seed, scale=SCALE, as_at=as_at, stdout=out).run()
    return out.getvalue()


@pytest.fixture(scope="class", params=[TERM_WEDNESDAY, AFTER_BANK_HOLIDAY], ids=str)
def as_at(request, django_db_setup, django_db_blocker):
    """The demo made once for the date; every test of the class reads it."""
    with kept_while_used(django_db_blocker, lambda: run(request.param)):
        yield request.param


def open_complaints():
    return Complaint.objects.filter(status__in=OPEN)


def test_the_pinned_dates_are_the_days_they_claim_to_be():
    calendar = current_calendar()
    assert TERM_WEDNESDAY.weekday() == 2 and calendar.is_working_day(TERM_WEDNESDAY)
    assert not calendar.is_working_day(AFTER_BANK_HOLIDAY - dt.timedelta(days=1))  # a Monday
    assert AFTER_BANK_HOLIDAY.weekday() == 1


class TestOnTheAsAtDate:
    """Read-only tests of one demo run per as-at date."""

    def test_complaints_arrive_at_about_70_per_1000_homes_a_year_up_to_the_as_at_date(self, as_at):
        homes = Property.objects.count()
        first_day = dt.date(2024, 4, 1)
        # Those added to show live work are all recent: count the two complete reporting years.
        years = Complaint.objects.filter(received_on__range=(first_day, dt.date(2026, 3, 31)))
        expected = homes / 1000 * PER_THOUSAND_HOMES_A_YEAR * 2
        assert expected * 0.75 <= years.count() <= expected * 1.25
        assert Complaint.objects.filter(received_on__gt=as_at).count() == 0
        # No quiet weeks before the as-at date: complaints arrive in the last few working days.
        recent = current_calendar().add(as_at, -3)
        assert Complaint.objects.filter(received_on__gte=recent).exists()

    def test_new_complaints_wait_to_be_allocated_and_acknowledged(self, as_at):
        calendar = current_calendar()
        new = open_complaints().filter(
            status=Status.RECEIVED, next_due_kind=DueKind.ACKNOWLEDGEMENT
        )
        unallocated = new.filter(handler__isnull=True)
        assert unallocated.exists()
        # Received in the last few working days.
        assert all(calendar.between(c.received_on, as_at) <= 5 for c in unallocated)
        assert new.filter(handler__isnull=False).exists()
        assert not Stage.objects.filter(
            complaint__in=new, number=1, acknowledged_on__isnull=False
        ).exists()

    def test_acknowledged_complaints_await_their_responses_some_extended(self, as_at):
        awaiting = open_complaints().filter(
            status=Status.STAGE1_OPEN,
            next_due_kind=DueKind.RESPONSE,
            awaiting_sign_off=False,
        )
        assert awaiting.exists()
        extended = open_complaints().filter(is_extended=True)
        assert extended.exists()
        for complaint in extended:
            stage = complaint.stages.get(number=complaint.stage_number)
            if stage.acknowledged_on is not None:
                assert complaint.next_due_on == stage.extended_due
            extension = Extension.objects.filter(stage=stage).latest("new_due")
            assert stage.acknowledged_on <= extension.notice_on <= extension.previous_due
            assert extension.notice_on <= as_at

    def test_drafts_wait_for_their_quality_check(self, as_at):
        drafts = open_complaints().filter(awaiting_sign_off=True)
        assert drafts.exists()
        for complaint in drafts:
            stage = complaint.stages.get(number=complaint.stage_number)
            assert stage.drafted_on <= as_at and stage.drafted_by_id is not None
            assert stage.signed_off_by_id is None and stage.responded_on is None

    def test_some_are_due_today_some_overdue_and_some_breached(self, as_at):
        assert open_complaints().filter(next_due_on=as_at).exists()
        assert open_complaints().filter(next_due_on__lt=as_at).exists()
        assert open_complaints().filter(is_breached=True).exists()
        stages = Stage.objects.all()
        assert stages.filter(ack_within_code=False).exists()  # acknowledged late
        late = stages.filter(response_within_code=False).exclude(response_within_extension=True)
        assert late.exists()  # responded late
        # The manager's home page counts this month's breaches (even on the 1st of a month).
        assert breaches_in_month(today=as_at).total > 0

    def test_stage_2_cases_are_open_acknowledged_and_not(self, as_at):
        stage2 = Stage.objects.filter(number=2, complaint__status=Status.STAGE2_OPEN)
        assert stage2.filter(acknowledged_on__isnull=True).exists()
        assert stage2.filter(acknowledged_on__isnull=False).exists()
        assert Complaint.objects.filter(status=Status.STAGE2_RESPONDED).exists()

    def test_a_few_are_not_accepted_or_withdrawn_and_the_history_is_closed(self, as_at):
        statuses = Counter(Complaint.objects.values_list("status", flat=True))
        assert statuses[Status.NOT_ACCEPTED] > 0
        assert statuses[Status.WITHDRAWN] > 0
        assert statuses[Status.CLOSED] > statuses[Status.STAGE1_RESPONDED]
        # Two reporting years of history before the current one.
        for year_start, year_end in (
            (dt.date(2024, 4, 1), dt.date(2025, 3, 31)),
            (dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
        ):
            responded = Stage.objects.filter(number=1, responded_on__range=(year_start, year_end))
            assert responded.exists()

    def test_promised_actions_are_open_and_some_overdue(self, as_at):
        open_actions = Action.objects.filter(status=Action.Status.OPEN)
        assert open_actions.filter(due_on__gte=as_at).exists()
        assert open_actions.filter(due_on__lt=as_at).exists()
        done = Action.objects.filter(status=Action.Status.DONE)
        assert done.count() > open_actions.filter(due_on__lt=as_at).count()  # most are done
        assert all(a.completed_on <= as_at for a in done)

    def test_each_handler_has_open_cases_with_something_due_soon_or_overdue(self, as_at):
        soon = current_calendar().add(as_at, 3)  # today and the next two working days
        for email in HANDLERS:
            handler = User.objects.get(email=email)
            mine = open_complaints().filter(handler=handler)
            assert mine.exists(), email
            assert mine.filter(next_due_on__lt=soon).exists(), email
            work = handler_work(user=handler, today=as_at)
            assert work.open_count > 0

    def test_each_reviewer_has_a_draft_they_may_sign_off(self, as_at):
        """Tried for real: the sign-off service accepts it (not their own draft, not a case they
        handle, not barred by Code 6.13 at stage 2). Each try is rolled back."""
        drafts = list(open_complaints().filter(awaiting_sign_off=True))
        for email in REVIEWERS:
            reviewer = User.objects.get(email=email)
            assert reviewer_work(user=reviewer, today=as_at).awaiting_count > 0
            may = []
            for complaint in drafts:
                try:
                    with transaction.atomic():
                        services.response_sign_off(
                            acting_user=reviewer, complaint=complaint, on=as_at
                        )
                        transaction.set_rollback(True)
                except StepRefused:
                    continue
                may.append(complaint.reference)
            assert may, email

    def test_each_reviewer_handles_a_stage_2_case(self, as_at):
        for email in REVIEWERS:
            reviewer = User.objects.get(email=email)
            assert open_complaints().filter(handler=reviewer, stage_number=2).exists(), email

    def test_the_manager_sees_unallocated_work_and_the_team_board(self, as_at):
        manager = User.objects.get(email=MANAGER)
        team = team_work(today=as_at)
        assert team.unallocated.open > 0
        assert team.due_soon_total > 0 and team.overdue_total > 0
        loads = {row.handler_id: row for row in team.handlers}
        for handler in User.objects.filter(email__in=HANDLERS):
            assert loads[handler.pk].open > 0
        unallocated = queue_queryset(QUEUES_BY_SLUG["unallocated"], user=manager, today=as_at)
        assert unallocated.exists()

    def test_every_queue_shows_work_to_the_people_who_work_it(self, as_at):
        users = {
            u.email: u for u in User.objects.filter(email__in=(*HANDLERS, *REVIEWERS, MANAGER))
        }
        everyone = ("unallocated", "due-soon", "overdue", "stage-2", "ombudsman", "closed")
        for email, user in users.items():
            slugs = list(everyone)
            if email != MANAGER:  # the manager allocates; handlers and reviewers have cases
                slugs.append("mine")
            if email in HANDLERS or email == MANAGER:  # the complaints team
                slugs.append("team")
            if email in REVIEWERS or email == MANAGER:  # those who sign responses off
                slugs.append("quality-check")
            for slug in slugs:
                queue = QUEUES_BY_SLUG[slug]
                assert queue_queryset(queue, user=user, today=as_at).exists(), (email, slug)

    def test_steps_are_dated_on_working_days_on_or_before_the_as_at_date(self, as_at):
        calendar = current_calendar()
        # Steps, not records kept elsewhere (a survey a provider sent may be dated any day).
        days = set(
            ComplaintEvent.objects.exclude(action__in=LINK_ACTIONS).values_list(
                "happened_on", flat=True
            )
        )
        assert max(days) == as_at
        assert all(day <= as_at and calendar.is_working_day(day) for day in days)
        assert not ComplaintEvent.objects.filter(happened_on__gt=as_at).exists()
        stage_days = Stage.objects.values_list(
            "received_on", "acknowledged_on", "drafted_on", "signed_off_on", "responded_on"
        )
        assert all(day is None or day <= as_at for row in stage_days for day in row)


def fingerprint() -> tuple:
    def rows(queryset, *fields) -> list[str]:
        # A lesson's number is its row's id, and PostgreSQL does not give ids back when a
        # transaction rolls back, so a second run in the same database numbers them on.
        return sorted(
            re.sub(r"Lesson L\d+", "Lesson L*", str(row)) for row in queryset.values_list(*fields)
        )

    return (
        rows(
            Complaint.objects,
            "reference",
            "status",
            "channel",
            "received_at",
            "complainant__reference",
            "category__name",
            "handler__email",
            "next_due_on",
            "is_extended",
            "is_breached",
            "awaiting_sign_off",
        ),
        rows(
            Stage.objects,
            "complaint__reference",
            "number",
            "handler__email",
            "acknowledged_on",
            "extended_due",
            "drafted_on",
            "signed_off_by__email",
            "responded_on",
            "outcome",
        ),
        rows(Action.objects, "complaint__reference", "due_on", "status", "completed_on"),
        rows(
            ComplaintEvent.objects,
            "complaint__reference",
            "action",
            "happened_on",
            "actor__email",
            "summary",
        ),
    )


def test_the_same_seed_and_date_give_the_same_live_work_and_history():
    def once(seed: int) -> tuple:
        with transaction.atomic():
            run(AFTER_BANK_HOLIDAY, seed=seed)
            result = fingerprint()
            transaction.set_rollback(True)
        return result

    first = once(2024)
    assert first[0] and first[3]
    assert once(2024) == first
    assert once(7)[0] != first[0]

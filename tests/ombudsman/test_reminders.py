"""Reminders before the Ombudsman's dates: once per item and due date, to complaints managers."""

from __future__ import annotations

import datetime as dt

from putright.ombudsman import services
from putright.ombudsman.reminders import reminders_send
from putright.ombudsman.tasks import remind_ombudsman_due_dates
from putright.outbox.models import OutgoingEmail
from tests.ombudsman.conftest import determined_case

D = dt.date


def test_reminders_go_once_to_complaints_managers(manager, handler, complaint, today):
    case = determined_case(manager, complaint)
    # 10 February 2026 plus 5 working days is 17 February.
    services.order_record(acting_user=manager, case=case, what="Pay £300", due_on=D(2026, 2, 17))
    services.order_record(acting_user=manager, case=case, what="Review", due_on=D(2026, 2, 18))
    late = services.request_record(
        acting_user=manager,
        case=case,
        what="Repair log",
        requested_on=D(2026, 1, 20),
        due_on=D(2026, 2, 3),
    )
    provided = services.request_record(
        acting_user=manager,
        case=case,
        what="Tenancy",
        requested_on=D(2026, 1, 20),
        due_on=D(2026, 2, 4),
    )
    services.request_provide(acting_user=manager, request=provided, on=D(2026, 2, 2))

    assert reminders_send() == 2  # the order due on the 17th and the overdue request
    emails = list(OutgoingEmail.objects.order_by("id"))
    assert [e.to for e in emails] == [[manager.email]] * 2  # not the case handler
    assert "was due 3 February 2026" in emails[1].subject
    assert reminders_send() == 0  # a rerun sends nothing more
    assert remind_ombudsman_due_dates.call() == 0

    # A new due date earns a new reminder.
    type(late).objects.filter(pk=late.pk).update(due_on=D(2026, 2, 12))
    assert reminders_send() == 1
    assert OutgoingEmail.objects.count() == 3

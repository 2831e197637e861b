# ruff: noqa: F811  (fixtures imported from the complaints tests)
"""Which letters of their own a case offers, from records built through the services (dates as
in ``tests.letters.records``)."""

from __future__ import annotations

from putright.casework.views.letters import letter_choices
from putright.complaints import services
from tests.complaints.conftest import log, officer, sign_off_required  # noqa: F401
from tests.letters import records as r


def test_a_response_with_actions_offers_an_update_and_a_closed_case_a_closure_letter(log, officer):
    complaint = r.responded(log, officer, n_actions=2)
    assert [key for key, _ in letter_choices(complaint)] == ["stage1_actions_update", "free"]

    services.complaint_close_unescalated(
        acting_user=officer, complaint=complaint, on=r.D(2026, 3, 4)
    )
    complaint.refresh_from_db()
    assert [key for key, _ in letter_choices(complaint)] == [
        "stage1_actions_update",
        "stage1_closure",
        "free",
    ]


def test_a_response_that_promised_nothing_offers_no_update(log, officer):
    complaint = r.responded(log, officer, n_actions=0)
    assert [key for key, _ in letter_choices(complaint)] == ["free"]

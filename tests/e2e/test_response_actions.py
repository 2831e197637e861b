"""Responding to a complaint in a real browser: draft, quality check, issue, escalate.

A complaint acknowledged with two points of complaint (prepared through the services) is drafted
by its handler with decisions, a remedy and an action, signed off by a quality reviewer, issued
by the handler after a confirmation page, then escalated. Every page type is checked with axe.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from putright.complaints import services
from putright.complaints.models import Action, Channel, Refusal, Remedy, Stage, Status
from putright.organisation.models import ExclusionReason
from tests.accounts.helpers import make_staff
from tests.complaints.helpers import acknowledge
from tests.e2e.conftest import use_session
from tests.people.factories import ResidentFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("named_organisation"),  # the letters are signed with it
]


def address(live_server, name: str, complaint) -> str:
    return live_server.url + reverse(f"casework:{name}", kwargs={"reference": complaint.reference})


def test_a_response_is_drafted_signed_off_issued_and_escalated(
    signed_in_page, live_server, axe_check, screenshot
):
    page = signed_in_page("Case handler")
    handler = page.user
    complaint = services.complaint_log(
        acting_user=handler,
        handler=handler,
        complainant=ResidentFactory(first_name="Ria", last_name="Patel"),
        channel=Channel.PHONE,
        received_at=timezone.now(),
        description="Damp in the bedroom since May, and nobody called back.",
    )
    acknowledge(
        acting_user=handler,
        complaint=complaint,
        points=[
            ("The damp in the bedroom was not treated.", "Treat the damp and redecorate."),
            ("Nobody called back as promised.", "An apology."),
        ],
    )

    # The handler drafts the response; an empty form first shows its errors.
    page.goto(address(live_server, "draft-response", complaint))
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft the stage 1 response")
    axe_check(page)
    page.get_by_role("button", name="Send for quality check").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Select the finding on point 1",
            "Enter the reasons for the finding on point 1",
            "Select the finding on point 2",
            "Enter the reasons for the finding on point 2",
        ]
    )
    axe_check(page)
    screenshot(page, "response-draft-errors")

    page.locator("#id_point_1_finding").check()  # Upheld
    page.get_by_label("Reasons for the finding on point 1").fill(
        "The damp was reported in May and not treated."
    )
    page.locator("#id_point_2_finding-2").check()  # Partly upheld
    page.get_by_label("Reasons for the finding on point 2").fill(
        "One call back was missed; the second was made."
    )
    page.get_by_label("Kind of remedy 1").select_option(label="Financial remedy")
    page.get_by_label("What will be done or given for remedy 1").fill("For the delay.")
    page.get_by_label("Amount of remedy 1").fill("£1,250.50")
    page.get_by_label("What will be done for action 1").fill("Treat the damp and redecorate.")
    page.get_by_label("Owner of action 1").select_option(label=str(handler))
    due = page.get_by_role("group", name="Due date of action 1")
    due.get_by_label("Day").fill("27")
    due.get_by_label("Month").fill("2")
    due.get_by_label("Year").fill(str(timezone.localdate().year + 1))
    page.get_by_label("Delay").check()
    page.get_by_role("button", name="Send for quality check").click()
    page.wait_for_url(f"**/cases/{complaint.reference}/")

    stage = Stage.objects.get(complaint=complaint, number=1)
    assert stage.draft["remedies"] == [
        {"kind": "compensation", "description": "For the delay.", "amount_pence": 125050}
    ]
    assert stage.draft["decisions"]["2"][0] == "partly_upheld"
    assert stage.draft["actions"][0]["owner_id"] == handler.pk

    # A quality reviewer reads the draft and signs it off.
    reviewer_page = signed_in_page("Quality reviewer")
    reviewer_page.goto(address(live_server, "sign-off", complaint))
    expect(
        reviewer_page.locator(".govuk-summary-list").get_by_text(
            "One call back was missed; the second was made."
        )
    ).to_be_visible()
    expect(reviewer_page.get_by_role("cell", name="£1,250.50")).to_be_visible()
    axe_check(reviewer_page)
    screenshot(reviewer_page, "response-sign-off")
    reviewer_page.get_by_label("Note on your check").fill("Clear and complete.")
    reviewer_page.get_by_role("button", name="Sign off the response").click()
    reviewer_page.wait_for_url(f"**/cases/{complaint.reference}/")
    stage.refresh_from_db()
    assert stage.signed_off_by == reviewer_page.user

    # The handler issues it, after checking on the confirmation page.
    use_session(page, live_server, handler)
    page.goto(address(live_server, "issue-response", complaint))
    expect(page.get_by_text("Signed off by Quinn Reviewer")).to_be_visible()
    page.get_by_role("button", name="Issue the response").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before you issue the response")
    axe_check(page)
    screenshot(page, "response-issue-confirm")
    complaint.refresh_from_db()
    assert complaint.status == Status.STAGE1_OPEN  # nothing written yet
    page.get_by_role("button", name="Issue the response").click()
    page.wait_for_url(f"**/cases/{complaint.reference}/")
    complaint.refresh_from_db()
    assert complaint.status == Status.STAGE1_RESPONDED
    assert Remedy.objects.get(stage__complaint=complaint).amount_pence == 125050
    assert Action.objects.get(complaint=complaint).owner == handler

    # The resident asks for stage 2; no reason is needed.
    page.goto(address(live_server, "escalate", complaint))
    expect(page.get_by_role("heading", level=1)).to_have_text("Escalate to stage 2")
    axe_check(page)
    screenshot(page, "response-escalate")
    page.get_by_label("What the resident said").fill("Wants someone senior to look again.")
    page.get_by_role("button", name="Escalate to stage 2").click()
    page.wait_for_url(f"**/cases/{complaint.reference}/")
    complaint.refresh_from_db()
    assert complaint.status == Status.STAGE2_OPEN
    escalated = complaint.events.get(action="escalated")
    assert escalated.changes["note"][1] == "Wants someone senior to look again."


def test_the_other_response_screens_are_accessible(signed_in_page, live_server, axe_check):
    """Every other page type of these screens, as a complaints manager (who may do them all)."""
    page = signed_in_page("Complaints manager")
    handler = make_staff("Case handler")
    reviewer = make_staff("Quality reviewer")
    reason = ExclusionReason.objects.create(
        code="e2e-court",
        label="The matter is before a court",
        description="Legal proceedings have started about the same issue.",
        applies_to=ExclusionReason.AppliesTo.ESCALATION,
    )

    def prepared(*, sign_off: bool = False, respond: bool = False):
        complaint = services.complaint_log(
            acting_user=handler,
            handler=handler,
            complainant=ResidentFactory(),
            channel=Channel.EMAIL,
            received_at=timezone.now(),
            description="The repair was not done.",
        )
        acknowledge(acting_user=handler, complaint=complaint, points=[("No repair.", "Repair it.")])
        services.response_draft_submit(
            acting_user=handler,
            complaint=complaint,
            decisions={1: ("upheld", "The repair was booked and missed.")},
            actions=[
                {"description": "Do the repair.", "owner": handler, "due_on": timezone.localdate()}
            ],
        )
        if sign_off or respond:
            services.response_sign_off(acting_user=reviewer, complaint=complaint)
        if respond:
            services.stage_respond(acting_user=handler, complaint=complaint)
        return complaint

    drafted = prepared()
    signed_off = prepared(sign_off=True)
    responded = prepared(respond=True)
    refused = prepared(respond=True)
    services.escalation_refuse(
        acting_user=handler,
        complaint=refused,
        reason=reason,
        explanation="Before the county court.",
        evidence="Claim form.",
        resident_told_on=timezone.localdate(),
        ombudsman_rights_given=True,
    )
    refusal = Refusal.objects.get(complaint=refused)
    action = Action.objects.get(complaint=responded)

    def visit(name: str, complaint, heading: str, **kwargs) -> None:
        page.goto(
            live_server.url
            + reverse(f"casework:{name}", kwargs={"reference": complaint.reference, **kwargs})
        )
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        axe_check(page)

    visit("return-draft", drafted, "Return the draft for changes")
    visit("issue-response", signed_off, "Issue the response")
    visit("withdraw", responded, "Record that the complaint was withdrawn")
    visit("close", responded, "Close the complaint")
    visit("complete-action", responded, "Record an action as done", pk=action.pk)
    visit("reverse-refusal", refused, "Reverse the refusal", pk=refusal.pk)
    visit("refuse-escalation", responded, "Refuse the request to escalate")
    page.get_by_role("button", name="Refuse the escalation").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe_check(page)
    # Issuing without a draft says so, and offers the way to draft.
    visit("issue-response", prepared_without_draft(handler), "Issue the response")
    expect(page.get_by_role("link", name="Draft the response")).to_be_visible()


def prepared_without_draft(handler):
    complaint = services.complaint_log(
        acting_user=handler,
        handler=handler,
        complainant=ResidentFactory(),
        channel=Channel.LETTER,
        received_at=timezone.now(),
        description="Nobody came.",
    )
    return acknowledge(acting_user=handler, complaint=complaint)

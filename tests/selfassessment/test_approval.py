"""Approval and publication of a self-assessment (Code 8.1, 8.2): draft, submitted for review,
reviewed by someone else, approved by the governing body, published; frozen once approved, a
change being a new version with its reason; the history of each step; the screens and their
error summaries; and the annual report's first section."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from putright.core import clock
from putright.core.errors import InvalidInput, StaleVersion, StepRefused
from putright.reporting import contents, editions
from putright.reporting.annual import figures
from putright.reporting.periods import reporting_year
from putright.selfassessment import services
from putright.selfassessment.models import Answer, SelfAssessment, SelfAssessmentEvent, Status
from tests.accounts.helpers import make_staff
from tests.selfassessment.conftest import annual, answer

pytestmark = pytest.mark.django_db
D = dt.date


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def answered(
    manager,
    year: int = 2024,
    *,
    no: tuple[str, ...] = ("6.2",),
    actions: dict[str, tuple[str, dt.date]] | None = None,
) -> SelfAssessment:
    """An annual self-assessment with every provision answered yes (set directly, to keep the
    test quick) and ``no`` answered no through the service, each with an action and a date
    (``actions`` gives a provision its own)."""
    assessment = annual(manager, year)
    Answer.objects.filter(assessment=assessment).update(comply="yes", evidence="Our policy.")
    for provision in no:
        action, by = (actions or {}).get(
            provision, ("Daily check of the acknowledgement queue.", D(2026, 6, 30))
        )
        answer(
            manager,
            assessment,
            provision,
            comply="no",
            evidence="Audit of 20 cases.",
            commentary="3 of 20 acknowledged late.",
            action=action,
            action_due_on=by,
        )
    assessment.refresh_from_db()
    return assessment


def approve(
    assessment: SelfAssessment,
    *,
    manager,
    reviewer,
    board,
    publish: bool = False,
    meeting_on=None,
    minute: str = "2026/14",
):
    """Submitted by the manager, reviewed by someone else, approved by the governing body at a
    meeting on ``meeting_on`` (today by default), then published if asked."""
    assessment = services.assessment_submit(
        acting_user=manager, assessment=assessment, expected_version=assessment.version
    )
    assessment = services.assessment_review(
        acting_user=reviewer,
        assessment=assessment,
        expected_version=assessment.version,
        decision="reviewed",
    )
    assessment = services.assessment_approve(
        acting_user=board,
        assessment=assessment,
        expected_version=assessment.version,
        meeting_on=meeting_on or clock.today(),
        minute=minute,
        member="Helen Ashworth",
        response="The board approves the self-assessment and will follow the actions.",
    )
    if publish:
        assessment = services.assessment_publish(
            acting_user=manager, assessment=assessment, expected_version=assessment.version
        )
    return assessment


# The flow -----------------------------------------------------------------------------------------


def test_an_assessment_goes_from_draft_to_published_with_every_step_in_its_history(
    today, manager, reviewer, board
):
    assessment = approve(
        answered(manager), manager=manager, reviewer=reviewer, board=board, publish=True
    )
    assert assessment.status == Status.PUBLISHED
    assert assessment.published_on == D(2026, 2, 10)
    assert assessment.submitted_by == manager and assessment.reviewed_by == reviewer
    assert (assessment.approved_on, assessment.approval_minute) == (D(2026, 2, 10), "2026/14")
    assert assessment.responsible_member == "Helen Ashworth"
    actions = list(
        SelfAssessmentEvent.objects.filter(assessment=assessment)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "assessment_submitted",
        "assessment_reviewed",
        "assessment_approved",
        "assessment_published",
    ]
    approved = SelfAssessmentEvent.objects.get(assessment=assessment, action="assessment_approved")
    assert approved.changes["status"] == ["reviewed", "approved"]
    assert approved.changes["responsible_member"] == ["", "Helen Ashworth"]


def test_submitting_needs_every_provision_answered_and_says_which_are_not(today, manager):
    assessment = annual(manager, 2024)
    answer(manager, assessment, "1.2")
    with pytest.raises(StepRefused) as refused:
        services.assessment_submit(
            acting_user=manager, assessment=assessment, expected_version=assessment.version
        )
    assert refused.value.code == "not_ready_for_review"
    assert "71 not answered (1.3, 1.4," in refused.value.message
    assert SelfAssessment.objects.get().status == Status.DRAFT


def test_the_preparer_and_the_submitter_may_not_review_it(today, manager, reviewer):
    assessment = answered(manager)
    other_manager = make_staff("Complaints manager", email="second@example.org")
    assessment = services.assessment_submit(
        acting_user=other_manager, assessment=assessment, expected_version=assessment.version
    )
    for person in (manager, other_manager):
        with pytest.raises(StepRefused) as refused:
            services.assessment_review(
                acting_user=person,
                assessment=assessment,
                expected_version=assessment.version,
                decision="reviewed",
            )
        assert refused.value.code == "reviewer_not_independent"
    reviewed = services.assessment_review(
        acting_user=reviewer,
        assessment=assessment,
        expected_version=assessment.version,
        decision="reviewed",
    )
    assert reviewed.status == Status.REVIEWED


def test_a_reviewer_returns_it_to_draft_with_comments_and_its_answers_change_again(
    today, manager, reviewer
):
    assessment = answered(manager)
    assessment = services.assessment_submit(
        acting_user=manager, assessment=assessment, expected_version=assessment.version
    )
    with pytest.raises(StepRefused):  # fixed while it is with the reviewer
        answer(manager, assessment, "1.2", evidence="Changed.")
    with pytest.raises(InvalidInput) as missing:
        services.assessment_review(
            acting_user=reviewer,
            assessment=assessment,
            expected_version=assessment.version,
            decision="returned",
        )
    assert missing.value.field == "comments"
    returned = services.assessment_review(
        acting_user=reviewer,
        assessment=assessment,
        expected_version=assessment.version,
        decision="returned",
        comments="6.2 needs the audit attached.",
    )
    assert returned.status == Status.DRAFT
    assert returned.review_comments == "6.2 needs the audit attached."
    assert returned.submitted_on is None
    answer(manager, returned, "1.2", evidence="Changed.")


def test_approval_needs_the_meeting_minute_member_and_response_all_at_once(
    today, manager, reviewer, board
):
    assessment = answered(manager)
    assessment = services.assessment_submit(
        acting_user=manager, assessment=assessment, expected_version=assessment.version
    )
    assessment = services.assessment_review(
        acting_user=reviewer,
        assessment=assessment,
        expected_version=assessment.version,
        decision="reviewed",
    )
    with pytest.raises(InvalidInput) as refused:
        services.assessment_approve(
            acting_user=board,
            assessment=assessment,
            expected_version=assessment.version,
            meeting_on=D(2026, 3, 1),
            minute=" ",
            member="",
            response="",
        )
    assert {problem.field for problem in refused.value.every()} == {
        "meeting_on",
        "minute",
        "member",
        "response",
    }
    assert "cannot be in the future" in refused.value.message


def test_steps_out_of_order_and_stale_versions_are_refused(today, manager, reviewer, board):
    assessment = answered(manager)
    with pytest.raises(StepRefused) as refused:
        services.assessment_publish(
            acting_user=manager, assessment=assessment, expected_version=assessment.version
        )
    assert refused.value.code == "publish_not_allowed"
    with pytest.raises(StaleVersion):
        services.assessment_submit(
            acting_user=manager, assessment=assessment, expected_version=assessment.version - 1
        )


def test_an_approved_assessment_is_frozen_and_a_new_version_copies_it_with_the_reason(
    today, manager, reviewer, board
):
    approved = approve(answered(manager), manager=manager, reviewer=reviewer, board=board)
    with pytest.raises(StepRefused):
        answer(manager, approved, "1.2", evidence="Changed after approval.")
    with pytest.raises(InvalidInput):
        services.assessment_revise(
            acting_user=manager, assessment=approved, expected_version=approved.version, reason=""
        )
    revision = services.assessment_revise(
        acting_user=manager,
        assessment=approved,
        expected_version=approved.version,
        reason="The 6.2 action was completed early.",
    )
    assert (revision.status, revision.version_number) == (Status.DRAFT, 2)
    assert revision.revises == approved and revision.carried_from == approved
    assert revision.revision_reason == "The 6.2 action was completed early."
    assert revision.answers.get(provision="6.2").action == (
        "Daily check of the acknowledgement queue."
    )
    answer(manager, revision, "6.2", comply="yes", evidence="Audit: all on time.")
    approved.refresh_from_db()
    assert approved.answers.get(provision="6.2").comply == "no"  # the approved one as it was
    with pytest.raises(StepRefused) as twice:
        services.assessment_revise(
            acting_user=manager,
            assessment=approved,
            expected_version=approved.version,
            reason="Again.",
        )
    assert twice.value.code == "revise_not_latest"
    event = SelfAssessmentEvent.objects.get(assessment=revision, action="assessment_revised")
    assert event.changes["revision_reason"] == [None, "The 6.2 action was completed early."]


def test_a_draft_cannot_be_revised(today, manager):
    assessment = answered(manager)
    with pytest.raises(StepRefused) as refused:
        services.assessment_revise(
            acting_user=manager,
            assessment=assessment,
            expected_version=assessment.version,
            reason="Why not.",
        )
    assert refused.value.code == "revise_not_approved"


# The annual report's first section (Code 8.1 a) --------------------------------------------------


def _self_assessment_section(year: int, kind: str = contents.ANNUAL):
    """The statements and tables of the first section of the ``kind`` report for ``year``."""
    period = reporting_year(year)
    statements, tables = contents._contents(kind, period, figures(period), figures(period))
    return statements.get("self_assessment"), tables.get("self_assessment", [])


def test_the_annual_report_says_so_until_the_years_assessment_is_approved(today, manager):
    answered(manager)
    statements, tables = _self_assessment_section(2024)
    assert statements == [
        "The self-assessment against the Code is not recorded in PutRight yet; it is published "
        "separately."
    ]
    assert tables == []


def test_the_annual_report_opens_with_the_approved_assessment_and_its_actions(
    today, manager, reviewer, board
):
    approve(
        answered(manager, no=("6.2", "5.8")),
        manager=manager,
        reviewer=reviewer,
        board=board,
        publish=True,
    )
    statements, tables = _self_assessment_section(2024)
    assert statements[0] == (
        "Our governing body approved our self-assessment against the Complaint Handling Code "
        "2024 at its meeting on 10 February 2026 (minute 2026/14). Our Member Responsible for "
        "Complaints is Helen Ashworth."
    )
    assert statements[1].startswith("We comply with 70 of the 72 provisions of the Code and do")
    assert "published on 10 February 2026" in statements[2]
    [table] = tables
    assert [row[0] for row in table.rows] == ["5.8", "6.2"]
    assert table.rows[1][2:] == ["Daily check of the acknowledgement queue.", "30 June 2026"]
    # Published as it is: nothing in it is a small count to suppress.
    assert editions.suppress(table, 5) == table
    # Not another year's report, nor the quarterly board pack (which has no such section).
    assert _self_assessment_section(2025)[1] == []
    assert _self_assessment_section(2024, contents.QUARTER)[1] == []


def test_an_approved_assessment_not_yet_published_is_not_said_to_be_published(
    today, manager, reviewer, board
):
    approve(answered(manager), manager=manager, reviewer=reviewer, board=board, publish=False)
    statements, _ = _self_assessment_section(2024)
    assert statements[2] == (
        "The whole self-assessment, with our evidence for each provision and the governing "
        "body's response, is not yet published on its own on our complaints reports pages."
    )
    assert "was published" not in " ".join(statements)


# Screens -----------------------------------------------------------------------------------------


def test_the_panel_offers_each_person_their_next_step(client, today, manager, reviewer, board):
    assessment = answered(manager)
    page = reverse("selfassessment:assessment", args=[assessment.pk])
    client.force_login(manager)
    assert "Submit for review" in text(client.get(page))
    response = client.post(
        reverse("selfassessment:submit", args=[assessment.pk]),
        {"version": assessment.version},
    )
    assert response.status_code == 302
    assert "Review" not in re.findall(r"govuk-button[^>]*>([^<]*)<", client.get(page).text)
    client.force_login(reviewer)
    assert "Review" in re.findall(r"govuk-button[^>]*>([^<]*)<", client.get(page).text)
    assessment.refresh_from_db()
    response = client.post(
        reverse("selfassessment:review", args=[assessment.pk]),
        {"version": assessment.version, "decision": "reviewed", "comments": "Good."},
    )
    assert response.status_code == 302
    client.force_login(board)
    assert "Record the governing body's approval" in text(client.get(page))


def test_the_approval_form_keeps_what_was_typed_and_lists_every_problem(
    client, today, manager, reviewer, board
):
    assessment = answered(manager)
    assessment = services.assessment_submit(
        acting_user=manager, assessment=assessment, expected_version=assessment.version
    )
    assessment = services.assessment_review(
        acting_user=reviewer,
        assessment=assessment,
        expected_version=assessment.version,
        decision="reviewed",
    )
    client.force_login(board)
    url = reverse("selfassessment:approve", args=[assessment.pk])
    response = client.post(
        url,
        {
            "version": assessment.version,
            "meeting_on_day": "",
            "meeting_on_month": "",
            "meeting_on_year": "",
            "minute": "2026/14",
            "member": "",
            "response": "We approve it.",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "Enter the date of the meeting" in page
    assert "Enter the name of the Member Responsible for Complaints" in page
    assert 'value="2026/14"' in response.text and "We approve it." in page


def test_a_stale_step_says_someone_else_changed_it_and_keeps_the_form(
    client, today, manager, reviewer
):
    assessment = answered(manager)
    client.force_login(manager)
    response = client.post(
        reverse("selfassessment:submit", args=[assessment.pk]),
        {"version": assessment.version - 1},
    )
    assert response.status_code == 400
    assert "Someone else changed" in text(response)
    assert f'value="{assessment.version}"' in response.text  # saving again is a knowing choice


def test_a_draft_downloads_marked_as_a_draft(client, today, manager):
    assessment = answered(manager)
    client.force_login(manager)
    response = client.get(reverse("selfassessment:download", args=[assessment.pk, "html"]))
    assert response.status_code == 200
    assert "Draft." in text(response)
    assert 'filename="self-assessment-2024-25-draft.html"' in response["Content-Disposition"]
    assert (
        client.get(reverse("selfassessment:download", args=[assessment.pk, "exe"])).status_code
        == 404
    )


def test_only_a_published_assessment_has_a_public_page_linked_from_the_reports_page(
    client, today, manager, reviewer, board
):
    assessment = approve(answered(manager), manager=manager, reviewer=reviewer, board=board)
    public = reverse("published-selfassessment:assessment", args=[assessment.pk])
    assert public == f"/published-reports/self-assessment/{assessment.pk}/"
    assert client.get(public).status_code == 404  # approved, not published yet
    assert "No self-assessment has been published yet." in text(client.get("/published-reports/"))
    services.assessment_publish(
        acting_user=manager, assessment=assessment, expected_version=assessment.version
    )
    response = client.get(public)
    assert response.status_code == 200
    page = text(response)
    assert "Self-assessment 2024-25" in page and "Helen Ashworth" in page
    assert "Daily check of the acknowledgement queue." in page
    index = client.get("/published-reports/")
    assert public in index.text
    download = client.get(
        reverse("published-selfassessment:download", args=[assessment.pk, "docx"])
    )
    assert download.status_code == 200
    assert download["Content-Type"].endswith("wordprocessingml.document")


def test_an_approved_assessments_answer_page_shows_the_answer_without_a_form(
    client, today, manager, reviewer, board
):
    assessment = answered(manager)
    url = reverse("selfassessment:answer", args=[assessment.pk, "6.2"])
    client.force_login(manager)
    assert "Save answer" in text(client.get(url))
    approve(assessment, manager=manager, reviewer=reviewer, board=board)
    page = client.get(url)
    assert page.status_code == 200
    shown = text(page)
    assert "so its answers can no longer change" in shown
    assert "Save answer" not in shown
    assert "<form" not in page.content.decode().split("<main")[1]

"""Where a self-assessment stands in its approval, and what the person looking may do next: the
status panel at the top of the assessment's page (``_approval.html``). A tag rather than the
view's context, so the page's view stays as it is and the panel is one include."""

from __future__ import annotations

from typing import Any

from django import template

from putright.selfassessment.exports import FORMATS
from putright.selfassessment.models import SelfAssessment, Status

register = template.Library()

PREPARE = "selfassessment.prepare_selfassessment"
REVIEW = "selfassessment.review_selfassessment"
APPROVE = "selfassessment.approve_selfassessment"


@register.simple_tag(takes_context=True)
def approval_state(context: template.Context, assessment: SelfAssessment) -> dict[str, Any]:
    """The actions ``request.user`` may take on ``assessment`` now, as (URL name, words), and
    the later version if one revises it (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)

    def may(permission: str) -> bool:
        return bool(user and user.has_perm(permission))

    status = assessment.status
    actions: list[tuple[str, str]] = []
    if status == Status.DRAFT and may(PREPARE):
        actions.append(("selfassessment:submit", "Submit for review"))
    if (
        status == Status.SUBMITTED
        and may(REVIEW)
        and user.pk not in (assessment.prepared_by_id, assessment.submitted_by_id)
    ):
        actions.append(("selfassessment:review", "Review"))
    if status == Status.REVIEWED and may(APPROVE):
        actions.append(("selfassessment:approve", "Record the governing body's approval"))
    if status == Status.APPROVED and may(PREPARE):
        actions.append(("selfassessment:publish", "Publish"))
    newer = assessment.revisions.order_by("version_number").first()
    if assessment.is_approved and newer is None and may(PREPARE):
        actions.append(("selfassessment:revise", "Make a new version"))
    return {
        "actions": actions,
        "newer": newer,
        "formats": FORMATS,
        "awaiting_other_reviewer": status == Status.SUBMITTED
        and may(REVIEW)
        and user.pk in (assessment.prepared_by_id, assessment.submitted_by_id),
    }

"""A letter reads its record in a fixed number of queries, however many points, remedies and
actions the complaint has."""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.letters.compose import compose
from tests.letters import records as r

D = r.D

# The queries, whatever the counts:
# the complaint with complainant, representative and handler; the current tenancy with its
# home; the organisation; then what the type reads: the stage with its handler, and per stage
# points with decisions, remedies, actions with owners, extensions; or the refusals. A stage 1
# response also reads the organisation's escalation window and the calendar's closure days.
# Every letter reads the wording version in use (counted as "wording").
EXPECTED = {
    "stage1_acknowledgement": 6,  # complaint, tenancy, stage, points, organisation, wording
    "stage1_extension": 6,  # complaint, tenancy, stage, extensions, organisation, wording
    "stage1_response": 10,  # ... points, remedies, actions, organisation, window, closures, wording
    "stage1_actions_update": 6,  # complaint, tenancy, stage, actions, organisation, wording
    "stage1_closure": 8,  # complaint, tenancy, stages, remedies, actions, organisation, window,
    # wording
    "escalation_refused": 5,  # complaint, tenancy, refusals, organisation, wording
    "free": 4,  # complaint, tenancy, organisation, wording
}


def _build(log, officer, size: int):
    complaint = r.responded(log, officer, n_points=size, n_remedies=size, n_actions=size)
    services.complaint_close_unescalated(acting_user=officer, complaint=complaint, on=D(2026, 3, 4))
    return complaint


@pytest.mark.parametrize("key", list(EXPECTED))
def test_the_queries_per_letter_do_not_grow_with_the_record(
    key, log, officer, django_assert_num_queries
):
    small, large = _build(log, officer, 1), _build(log, officer, 5)
    if key == "escalation_refused":
        for complaint in (small, large):
            services.escalation_refuse(
                acting_user=officer,
                complaint=complaint,
                reason=_reason(complaint),
                explanation="The matter is now in court.",
                evidence="Claim form.",
                resident_told_on=D(2026, 3, 5),
                ombudsman_rights_given=True,
                on=D(2026, 3, 5),
            )
    for complaint in (small, large):
        with django_assert_num_queries(EXPECTED[key]):
            letter = compose(key, complaint, on=D(2026, 3, 6))
    assert len(letter.sections) == len(letter.type.elements)


def _reason(complaint):
    from putright.organisation.models import ExclusionReason

    return ExclusionReason.objects.create(
        code=f"letters-queries-{complaint.pk}",
        label="The matter is the subject of legal proceedings",
        applies_to=ExclusionReason.AppliesTo.ESCALATION,
    )


def test_a_response_from_a_draft_reads_the_action_owners_in_one_query(
    log, officer, django_assert_num_queries
):
    complaint = r.acknowledged(log, officer, with_points=r.points(5))
    owners = [r.owner() for _ in range(5)]
    services.response_draft_submit(
        acting_user=officer,
        complaint=complaint,
        decisions=r.decisions(complaint, 5),
        remedies=r.remedies(5),
        actions=[
            {"description": f"Action {n}", "owner": who, "due_on": D(2026, 2, 5)}
            for n, who in enumerate(owners, start=1)
        ],
        on=D(2026, 1, 12),
    )
    # As an issued response, plus one for the owners named in the draft.
    with django_assert_num_queries(EXPECTED["stage1_response"] + 1):
        letter = compose("stage1_response", complaint, on=D(2026, 1, 13))
    assert letter.check() == []

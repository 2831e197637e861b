"""Every change to a complaint: one transaction, one version bump and one history event each.

Each service takes ``acting_user`` and ``on`` (the date the step happened in the world, default
today in Europe/London), so historic imports flow through the same rules. ``expected_version``,
when given, must match the stored version or nothing is written (``StaleVersion``).

The services live in modules by part of the lifecycle; import them from here.
"""

from putright.complaints.services.intake import (
    complaint_log,
    complaint_mark_duplicate,
    stage_acknowledge,
    stage_point_add,
)
from putright.complaints.services.record import (
    LINK_ACTIONS,
    complaint_viewed,
    confidential_complaints_listed,
    confidential_complaints_read,
    correspondence_record,
    document_attach,
    document_upload,
    documents_sweep_orphans,
    lesson_history_record,
    letter_history_record,
    link_history_record,
    note_add,
    stage_agree_update_interval,
)
from putright.complaints.services.refusals import (
    complaint_close_unescalated,
    complaint_not_accept,
    complaints_close_unescalated_sweep,
    escalation_refuse,
    refusal_reverse,
)
from putright.complaints.services.responses import (
    action_complete,
    action_reassign,
    actions_update_due,
    actions_update_interval,
    response_draft_submit,
    response_sign_off,
    response_sign_off_decline,
    stage_actions_updated,
    stage_agree_actions_update_interval,
    stage_respond,
)
from putright.complaints.services.stages import (
    complaint_allocate,
    complaint_escalate,
    complaint_withdraw,
    stage_deadlines_recompute,
    stage_extend,
)

__all__ = [
    "LINK_ACTIONS",
    "action_complete",
    "action_reassign",
    "actions_update_due",
    "actions_update_interval",
    "stage_actions_updated",
    "stage_agree_actions_update_interval",
    "complaint_viewed",
    "document_attach",
    "lesson_history_record",
    "letter_history_record",
    "link_history_record",
    "confidential_complaints_listed",
    "confidential_complaints_read",
    "response_draft_submit",
    "response_sign_off_decline",
    "complaint_allocate",
    "complaint_close_unescalated",
    "complaint_escalate",
    "complaint_log",
    "complaint_mark_duplicate",
    "complaint_not_accept",
    "complaint_withdraw",
    "complaints_close_unescalated_sweep",
    "correspondence_record",
    "document_upload",
    "documents_sweep_orphans",
    "escalation_refuse",
    "note_add",
    "refusal_reverse",
    "response_sign_off",
    "stage_acknowledge",
    "stage_agree_update_interval",
    "stage_deadlines_recompute",
    "stage_extend",
    "stage_point_add",
    "stage_respond",
]

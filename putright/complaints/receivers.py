"""Keep stored due dates in step with the organisation's calendar."""

from __future__ import annotations

from putright.complaints.services import stage_deadlines_recompute


def recompute_on_calendar_change(sender, *, acting_user=None, **kwargs) -> None:
    # Runs inside the closure-day service's transaction, so both commit or roll back together.
    stage_deadlines_recompute(acting_user=acting_user)

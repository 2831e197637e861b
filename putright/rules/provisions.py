"""Which Code provision governs each duty at each stage: the one place screens, letters and
messages look up a citation, so a stage 2 page never cites a stage 1 provision."""

from __future__ import annotations

from typing import Final

# Complaint Handling Code (2024): section 6 holds the stage 1 duties from 6.1 and the stage 2
# duties from 6.10. Three duties live outside section 6 but still change with the stage:
# - refuse: not accepting a complaint at all is governed by section 2 (2.4); refusing to
#   escalate it to stage 2 is 5.11, which in turn requires section 2's terms.
# - escalation_route: where a resident who is still unhappy goes next, and the provision that
#   gives them that right: stage 2 after stage 1 (6.10), the Ombudsman after stage 2 (3.7).
STAGE_PROVISIONS: Final[dict[int, dict[str, str]]] = {
    1: {
        "acknowledge": "6.2",
        "respond": "6.3",
        "extend": "6.4",
        "extension_notice": "6.5",
        "track_actions": "6.6",
        "address_points": "6.7",
        "response_contents": "6.9",
        "refuse": "2.4",
        "escalation_route": "6.10",
    },
    2: {
        "acknowledge": "6.11",
        "respond": "6.14",
        "extend": "6.15",
        "extension_notice": "6.16",
        "track_actions": "6.17",
        "address_points": "6.18",
        "response_contents": "6.19",
        "refuse": "5.11",
        "escalation_route": "3.7",
    },
}


def provision(stage: int, duty: str) -> str:
    """The Code provision for ``duty`` at ``stage``, e.g. ``provision(2, "extend") == "6.15"``."""
    try:
        return STAGE_PROVISIONS[stage][duty]
    except KeyError:
        raise ValueError(f"No Code provision is recorded for {duty!r} at stage {stage}") from None


def provisions_for(stage: int) -> dict[str, str]:
    return dict(STAGE_PROVISIONS[stage])

"""Which Code provision governs each duty at each stage: the one place screens, letters and
messages look up a citation, so a stage 2 page never cites a stage 1 provision."""

from __future__ import annotations

from typing import Final

# Complaint Handling Code (2024): section 6 holds the stage 1 duties from 6.1 and the stage 2
# duties from 6.10.
STAGE_PROVISIONS: Final[dict[int, dict[str, str]]] = {
    1: {
        "acknowledge": "6.2",
        "respond": "6.3",
        "extend": "6.4",
        "extension_notice": "6.5",
        "response_contents": "6.9",
    },
    2: {
        "acknowledge": "6.11",
        "respond": "6.14",
        "extend": "6.15",
        "extension_notice": "6.16",
        "response_contents": "6.19",
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

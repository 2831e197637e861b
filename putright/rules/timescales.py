"""The Complaint Handling Code's timescales, held in one policy object.

The Code's values are the defaults. A landlord's stricter local targets are kept beside them in
local_targets and never replace them, so "met the Code" and "met our own target" stay separate
questions with separate answers.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from types import MappingProxyType
from typing import Final

from .calendar import WorkingDayCalendar, _as_date

__all__ = [
    "CODE",
    "StageTimescales",
    "Timescales",
    "acknowledgement_due",
    "add_months",
    "extension_cap_date",
    "months_between_exceeds",
    "response_due",
]

# A local target named like "stage1.respond" tightens that Code timescale; anything else under a
# "stageN." prefix is most likely a typo, which would otherwise be ignored without a word.
_STAGE_TARGET = re.compile(r"stage(\d+)\.(\w+)")


def _check_count(name: str, value: object, *, minimum: int, unit: str = "days") -> None:
    # bool is an int subclass; True working days is always a mistake.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number of {unit}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")


@dataclass(frozen=True)
class StageTimescales:
    """Working days allowed at one stage.

    acknowledge counts from receipt (of the complaint, or of the escalation request); respond
    counts from the acknowledgement; extension_cap is how far past the original response date
    extensions may reach in total without a recorded good reason.
    """

    acknowledge: int
    respond: int
    extension_cap: int

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_count(f.name, getattr(self, f.name), minimum=1)


@dataclass(frozen=True)
class Timescales:
    """Every timescale the engine measures against, with the Code's values as defaults.

    escalation_window is not a Code limit (the Code sets none for asking for stage 2): it is the
    landlord's policy for how many working days after the stage 1 response an un-escalated
    complaint stays open before it is closed. A later request is still accepted or refused with
    reasons, never silently blocked.

    local_targets holds a landlord's own, stricter targets such as {"first_contact": 3}. One named
    after a Code timescale ("stage1.respond") must not be looser than it.
    """

    stage1: StageTimescales = StageTimescales(acknowledge=5, respond=10, extension_cap=10)
    stage2: StageTimescales = StageTimescales(acknowledge=5, respond=20, extension_cap=20)
    age_limit_months: int = 12
    escalation_window: int = 20
    # Excluded from the hash (a mapping is unhashable) but still compared.
    local_targets: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )

    def __post_init__(self) -> None:
        _check_count("age_limit_months", self.age_limit_months, minimum=1, unit="months")
        _check_count("escalation_window", self.escalation_window, minimum=0)
        # Copy into a read-only view so a caller's dict cannot change a frozen policy later.
        targets = MappingProxyType(dict(self.local_targets))
        for name, days in targets.items():
            if not isinstance(name, str) or not name:
                raise ValueError(f"local target names must be non-empty strings, got {name!r}")
            _check_count(f"local target {name!r}", days, minimum=1)
            match = _STAGE_TARGET.fullmatch(name)
            if match is None:
                continue
            stage_number, part = int(match[1]), match[2]
            if stage_number not in (1, 2) or part not in _STAGE_PARTS:
                raise ValueError(
                    f"local target {name!r} names no Code timescale; use stage1 or stage2 with "
                    f"one of {', '.join(_STAGE_PARTS)}"
                )
            code_days = getattr(self.for_stage(stage_number), part)
            if days > code_days:
                raise ValueError(
                    f"local target {name!r} of {days} working days is looser than the "
                    f"{code_days} it sits beside; a local target may only be stricter"
                )
        object.__setattr__(self, "local_targets", targets)

    def for_stage(self, stage: int) -> StageTimescales:
        """Timescales for stage 1 or 2; the Code requires exactly two stages, so nothing else."""
        if not isinstance(stage, bool) and stage in (1, 2):
            return self.stage1 if stage == 1 else self.stage2
        raise ValueError(f"the Code allows exactly two stages (1 and 2), not {stage!r}")


_STAGE_PARTS: Final = tuple(f.name for f in fields(StageTimescales))

CODE: Final = Timescales()
"""The Complaint Handling Code's own timescales, with no local targets."""


def acknowledgement_due(cal: WorkingDayCalendar, received: date, stage_ts: StageTimescales) -> date:
    """Last day to acknowledge: the clock runs from receipt, with the day of receipt as day 0."""
    return cal.add(received, stage_ts.acknowledge)


def response_due(cal: WorkingDayCalendar, acknowledged: date, stage_ts: StageTimescales) -> date:
    """Last day to respond: counted from the acknowledgement, not from receipt."""
    return cal.add(acknowledged, stage_ts.respond)


def extension_cap_date(
    cal: WorkingDayCalendar, original_due: date, stage_ts: StageTimescales
) -> date:
    """Furthest the extensions together may reach past the original due date without good reason."""
    return cal.add(original_due, stage_ts.extension_cap)


def add_months(d: date, months: int) -> date:
    """The same day of the month `months` calendar months later (earlier if negative).

    Where that month is too short the period ends on its last day, the corresponding-date rule
    English courts apply to calendar months: 29 Feb 2024 plus 12 months is 28 Feb 2025.
    """
    d = _as_date(d)
    month_index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def months_between_exceeds(earlier: date, later: date, months: int) -> bool:
    """True when later falls after the end of `months` calendar months from earlier.

    For the 12-month age check: an issue on 15 Mar 2024 may be complained about up to and
    including 15 Mar 2025. A later date before the earlier one never exceeds.
    """
    _check_count("months", months, minimum=0, unit="months")
    return _as_date(later) > add_months(earlier, months)

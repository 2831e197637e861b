"""The complaints behind a figure: a manager opens a count on the report and checks the list.

"A figure a manager cannot open and check is not trusted" (issue 22). Each drill key names a
figure of ``annual.figures`` and the very queryset from ``metrics`` that the figure counts, so
the list and the figure cannot disagree: the list is those records, read rather than counted.
``tests/reporting/test_drill.py`` checks every key against the figure it opens.

Keys are dotted: ``stage1.received``, ``stage2.responded.late``, ``stage1.outcome.upheld``,
``withdrawn``, and for the breakdowns one key per line (``categories.<id>``,
``business_areas.<id>``, ``channels.<channel>``, ``not_accepted.<reason code>``), with ``none``
for the line of complaints that have no category or business area recorded.

A list holds stages or refusals (what the figures count), each shown with its complaint: a
complaint answered at both stages in a year is two of the year's responses, and two rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet

from putright.complaints.models import Channel, Finding, Refusal, Stage
from putright.organisation.models import BusinessArea, Category, ExclusionReason
from putright.reporting import metrics as m
from putright.reporting.periods import Period

__all__ = ["Drill", "find", "keys", "rows"]

NONE = "none"  # the line of complaints with no category or business area recorded

RESPONSE_TITLES = {
    "within_code": "responses within the Code's timescales",
    "within_initial": "responses within the first date (no extension)",
    "after_extension": "responses after an extension",
    "late": "responses later than the Code's timescales",
}
ACKNOWLEDGEMENT_TITLES = {
    "within_code": "complaints acknowledged within 5 working days",
    "late": "complaints acknowledged later than 5 working days",
}
FINDING_LABELS = dict(Finding.choices)
CHANNEL_LABELS = dict(Channel.choices)
CHANNEL_VALUES = {label: value for value, label in Channel.choices}
REFUSAL_FIGURES = {
    Refusal.Kind.ACCEPTANCE: "not_accepted",
    Refusal.Kind.ESCALATION: "escalation_refused",
}
REFUSAL_TITLES = {
    Refusal.Kind.ACCEPTANCE: "Complaints not accepted",
    Refusal.Kind.ESCALATION: "Stage 2 requests refused",
}


@dataclass(frozen=True)
class Drill:
    key: str
    title: str  # what the list holds, as its heading says it
    records: Callable[[Period], QuerySet]  # the stages or refusals the figure counts
    figure: Callable[[dict], int]  # where ``annual.figures`` holds the count of them


def _stage_drills(stage: int) -> list[Drill]:
    s = f"stage{stage}"
    drills = [
        Drill(
            f"{s}.received",
            f"Stage {stage} complaints received",
            lambda p: m.received(p, stage),
            lambda f: f[s]["received"],
        ),
        Drill(
            f"{s}.responded",
            f"Stage {stage} responses",
            lambda p: m.responded(p, stage),
            lambda f: f[s]["responded"],
        ),
        Drill(
            f"{s}.acknowledged",
            f"Stage {stage} complaints acknowledged",
            lambda p: m.acknowledged(p, stage),
            lambda f: f[s]["acknowledged"],
        ),
    ]
    for name, where in m.RESPONSE_SUBSETS.items():
        drills.append(
            Drill(
                f"{s}.responded.{name}",
                f"Stage {stage} {RESPONSE_TITLES[name]}",
                lambda p, where=where: m.responded(p, stage).filter(where),
                lambda f, name=name: f[s][f"responded_{name}"],
            )
        )
    for name, where in m.ACKNOWLEDGEMENT_SUBSETS.items():
        drills.append(
            Drill(
                f"{s}.acknowledged.{name}",
                f"Stage {stage} {ACKNOWLEDGEMENT_TITLES[name]}",
                lambda p, where=where: m.acknowledged(p, stage).filter(where),
                lambda f, name=name: f[s][f"acknowledged_{name}"],
            )
        )
    for finding in Finding.values:
        drills.append(
            Drill(
                f"{s}.outcome.{finding}",
                f"Stage {stage} responses: {FINDING_LABELS[finding].lower()}",
                lambda p, finding=finding: m.responded(p, stage).filter(outcome=finding),
                lambda f, finding=finding: f[s]["outcomes"][finding],
            )
        )
    return drills


def _refusal_drill(kind: str) -> Drill:
    key = REFUSAL_FIGURES[kind]
    return Drill(
        key,
        REFUSAL_TITLES[kind],
        lambda p: m.refusals(p, kind),
        lambda f: f[key]["total"],
    )


FIXED: dict[str, Drill] = {
    drill.key: drill
    for drill in [
        *_stage_drills(1),
        *_stage_drills(2),
        _refusal_drill(Refusal.Kind.ACCEPTANCE),
        _refusal_drill(Refusal.Kind.ESCALATION),
        Drill("withdrawn", "Complaints withdrawn", m.withdrawals, lambda f: f["withdrawn"]),
    ]
}


# The breakdowns: one key per line, found from the line's own id ---------------------------------


def _row_with(rows: list[dict], field: str, value: int | None) -> dict:
    return next((row for row in rows if row[field] == value), {})


def _category(param: str) -> Drill | None:
    if param == NONE:
        pk, name, where = None, "no category recorded", {"complaint__category__isnull": True}
    else:
        category = Category.objects.filter(pk=_int(param)).only("name").first()
        if category is None:
            return None
        pk, name, where = category.pk, category.name, {"complaint__category_id": category.pk}
    return Drill(
        f"categories.{param}",
        f"Stage 1 complaints received: {name}",
        lambda p: m.received(p, 1).filter(**where),
        lambda f: _row_with(f["categories"], "category_id", pk).get("received", 0),
    )


def _business_area(param: str) -> Drill | None:
    if param == NONE:
        pk, name, where = (
            None,
            "no business area recorded",
            {"complaint__business_area__isnull": True},
        )
    else:
        area = BusinessArea.objects.filter(pk=_int(param)).only("name").first()
        if area is None:
            return None
        pk, name, where = area.pk, area.name, {"complaint__business_area_id": area.pk}
    return Drill(
        f"business_areas.{param}",
        f"Responses at either stage: {name}",
        lambda p: m.responded_any(p).filter(**where),
        lambda f: _row_with(f["business_areas"], "business_area_id", pk).get("responded", 0),
    )


def _channel(param: str) -> Drill | None:
    label = CHANNEL_LABELS.get(param)
    if label is None:
        return None
    return Drill(
        f"channels.{param}",
        f"Stage 1 complaints received by {label.lower()}",
        lambda p: m.received(p, 1).filter(complaint__channel=param),
        lambda f: f["channels"].get(label, 0),
    )


def _reason(kind: str) -> Callable[[str], Drill | None]:
    figure = REFUSAL_FIGURES[kind]

    def drill(code: str) -> Drill | None:
        label = ExclusionReason.objects.filter(code=code).values_list("label", flat=True).first()
        if label is None:
            return None
        # By the label, as ``metrics.not_accepted`` counts them.
        return Drill(
            f"{figure}.{code}",
            f"{REFUSAL_TITLES[kind]}: {label}",
            lambda p: m.refusals(p, kind).filter(reason__label=label),
            lambda f: f[figure]["by_reason"].get(label, 0),
        )

    return drill


FAMILIES: dict[str, Callable[[str], Drill | None]] = {
    "categories": _category,
    "business_areas": _business_area,
    "channels": _channel,
    "not_accepted": _reason(Refusal.Kind.ACCEPTANCE),
    "escalation_refused": _reason(Refusal.Kind.ESCALATION),
}


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def find(key: str) -> Drill | None:
    """The drill a key names, or None when there is none (at most one query, for a line's name)."""
    if key in FIXED:
        return FIXED[key]
    family, _, param = key.partition(".")
    resolve = FAMILIES.get(family)
    return resolve(param) if resolve and param else None


# The keys a report links ----------------------------------------------------------------------


def category_key(row: dict) -> str:
    return f"categories.{row['category_id'] or NONE}"


def business_area_key(row: dict) -> str:
    return f"business_areas.{row['business_area_id'] or NONE}"


def channel_key(label: str) -> str | None:
    value = CHANNEL_VALUES.get(label)
    return f"channels.{value}" if value else None


def reason_key(figure: str, label: str, figures: dict) -> str | None:
    code = figures.get("refusal_reason_codes", {}).get(label)
    return f"{figure}.{code}" if code else None


def keys(figures: dict) -> list[str]:
    """Every key the report of these figures can link: the fixed ones and one per line of each
    breakdown the period has."""
    return [
        *FIXED,
        *(category_key(row) for row in figures["categories"]),
        *(business_area_key(row) for row in figures["business_areas"]),
        *filter(None, (channel_key(label) for label in figures["channels"])),
        *filter(
            None,
            (
                reason_key(figure, label, figures)
                for figure in REFUSAL_FIGURES.values()
                for label in figures[figure]["by_reason"]
            ),
        ),
    ]


# The list itself -------------------------------------------------------------------------------

# For each kind of record a figure counts: the date it shows as received and its stage.
ROW_SHAPE: dict[type, dict[str, Any]] = {
    Stage: {"received": F("received_on"), "stage": F("number")},
    Refusal: {"received": F("complaint__received_on"), "stage": F("stage_number")},
}


def rows(records: QuerySet) -> QuerySet:
    """The list's rows as plain values, each with its complaint, in one query for any page:
    reference, received date, stage, status, category and whether it is confidential."""
    return records.values(
        **ROW_SHAPE[records.model],
        reference=F("complaint__reference"),
        status=F("complaint__status"),
        category=F("complaint__category__name"),
        confidential=F("complaint__is_confidential"),
    ).order_by("received", "reference", "stage")

"""Read paths for self-assessments and exceptional circumstances: each page in a few queries,
whatever the number of provisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from putright.core import clock
from putright.rules.code import CODES, Provision, Section
from putright.selfassessment.models import (
    Answer,
    Comply,
    ExceptionalCircumstance,
    SelfAssessment,
    SelfAssessmentEvent,
)
from putright.selfassessment.services import ANSWER_FIELDS

# What each compared field is called on screen.
FIELD_LABELS = {
    "comply": "comply",
    "evidence": "evidence",
    "commentary": "commentary",
    "action": "action",
    "action_due_on": "date",
}


def assessments() -> QuerySet[SelfAssessment]:
    """Every self-assessment, newest first, with how many provisions are answered yes, no or
    not yet (one query)."""
    return (
        SelfAssessment.objects.select_related("ombudsman_case", "prepared_by")
        .annotate(
            provision_count=Count("answers"),
            yes_count=Count("answers", filter=Q(answers__comply=Comply.YES)),
            no_count=Count("answers", filter=Q(answers__comply=Comply.NO)),
            unanswered_count=Count("answers", filter=Q(answers__comply="")),
        )
        .order_by("-as_at", "-id")
    )


def assessment_detail(pk: int) -> SelfAssessment:
    return SelfAssessment.objects.select_related(
        "ombudsman_case", "prepared_by", "carried_from"
    ).get(pk=pk)


@dataclass(frozen=True)
class Change:
    """How one provision's answer differs from the assessment it was carried from.

    ``status`` is "new" (the earlier one had no answer to this provision), "changed" (``fields``
    name what differs) or "unchanged"."""

    status: str
    fields: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"

    @property
    def what(self) -> str:
        """What changed, in words: "comply, evidence and date"; blank unless changed."""
        labels = [FIELD_LABELS[name] for name in self.fields]
        if not labels:
            return ""
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]

    @property
    def description(self) -> str:
        if self.status == "new":
            return "New since the last self-assessment"
        if self.status == "changed":
            return f"Changed since the last self-assessment: {self.what}"
        return ""


def _values(answer: Answer | dict[str, Any]) -> dict[str, Any]:
    if isinstance(answer, dict):
        return {name: answer[name] for name in ANSWER_FIELDS}
    return {name: getattr(answer, name) for name in ANSWER_FIELDS}


def changes_since_carried(
    assessment: SelfAssessment, answers: list[Answer] | None = None
) -> dict[str, Change]:
    """Per provision, what changed since the assessment this one was carried from; empty when it
    was carried from none (there is nothing to compare). One query for the earlier answers, one
    for these unless ``answers`` are given."""
    if assessment.carried_from_id is None:
        return {}
    if answers is None:
        answers = list(assessment.answers.all())
    earlier = {
        row["provision"]: row
        for row in Answer.objects.filter(assessment_id=assessment.carried_from_id).values(
            "provision", *ANSWER_FIELDS
        )
    }
    found: dict[str, Change] = {}
    for answer in answers:
        before = earlier.get(answer.provision)
        if before is None:
            found[answer.provision] = Change("new")
            continue
        now, then = _values(answer), _values(before)
        differ = tuple(name for name in ANSWER_FIELDS if now[name] != then[name])
        found[answer.provision] = Change("changed", differ) if differ else Change("unchanged")
    return found


@dataclass
class Row:
    provision: Provision
    answer: Answer
    change: Change | None


@dataclass
class SectionRows:
    section: Section
    rows: list[Row] = field(default_factory=list)

    @property
    def parts(self) -> list[tuple[str, list[Row]]]:
        """The section's rows under their headings within it ("Stage 1", "Stage 2"), or under
        one blank heading where the Code has none."""
        grouped: list[tuple[str, list[Row]]] = []
        for row in self.rows:
            if not grouped or grouped[-1][0] != row.provision.part:
                grouped.append((row.provision.part, []))
            grouped[-1][1].append(row)
        return grouped


@dataclass
class Summary:
    total: int
    yes: int
    no: int
    unanswered: int
    changed: int


def assessment_sections(assessment: SelfAssessment) -> tuple[list[SectionRows], Summary]:
    """The five-column layout: each section of the assessment's Code with every provision's
    answer and its change since the earlier assessment (two queries)."""
    code = CODES[assessment.code_version]
    answers = list(assessment.answers.all())
    changes = changes_since_carried(assessment, answers)
    by_provision = {answer.provision: answer for answer in answers}
    sections = []
    for section, provisions in code.by_section():
        rows = SectionRows(section)
        for provision in provisions:
            answer = by_provision.get(provision.number)
            if answer is not None:
                rows.rows.append(Row(provision, answer, changes.get(provision.number)))
        sections.append(rows)
    summary = Summary(
        total=len(answers),
        yes=sum(1 for a in answers if a.comply == Comply.YES),
        no=sum(1 for a in answers if a.comply == Comply.NO),
        unanswered=sum(1 for a in answers if not a.comply),
        changed=sum(1 for c in changes.values() if c.changed),
    )
    return sections, summary


def answer_for(assessment: SelfAssessment, provision: str) -> Answer:
    return Answer.objects.get(assessment=assessment, provision=provision)


def carried_answer(assessment: SelfAssessment, provision: str) -> Answer | None:
    """The earlier assessment's answer to this provision, shown beside the form."""
    if assessment.carried_from_id is None:
        return None
    return Answer.objects.filter(
        assessment_id=assessment.carried_from_id, provision=provision
    ).first()


def assessment_history(assessment: SelfAssessment) -> QuerySet[SelfAssessmentEvent]:
    return assessment.events.select_related("actor").order_by("-recorded_at", "-id")


def provision_history(assessment: SelfAssessment, provision: str) -> QuerySet[SelfAssessmentEvent]:
    return assessment_history(assessment).filter(provision=provision)


# Exceptional circumstances ----------------------------------------------------------------------


def circumstances() -> QuerySet[ExceptionalCircumstance]:
    return ExceptionalCircumstance.objects.select_related("recorded_by").order_by(
        "-started_on", "-id"
    )


def running_circumstances(day: date | None = None) -> QuerySet[ExceptionalCircumstance]:
    """Those running on ``day`` (today by default): started, and not yet ended."""
    day = day or clock.today()
    return (
        ExceptionalCircumstance.objects.filter(started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .order_by("started_on", "id")
    )


def circumstance_history(
    circumstance: ExceptionalCircumstance,
) -> QuerySet[SelfAssessmentEvent]:
    return circumstance.events.select_related("actor").order_by("-recorded_at", "-id")


def provisions_of(circumstance: ExceptionalCircumstance) -> list[Provision]:
    code = CODES[circumstance.code_version]
    return [code.provision(number) for number in circumstance.provisions if number in code]

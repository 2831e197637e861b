"""Everything the case file shows, read in a fixed number of queries however large the case.

``case_complaint`` reads the complaint with what its summary names (one query), so the view can
check who may see it before anything else is read; ``case_file`` then reads the rest: the person
(through ``people.selectors.resident_profile``, which decides what special category data the user
may see), the stages with their points, decisions, remedies, actions and extensions, refusals,
the timeline and linked records. Each list is one query, never one per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from putright.casework.permissions import REASSIGN_ACTION, can_view, visible_complaints
from putright.casework.selectors.letters import (
    letter_delivery_needs_attention,
    letter_delivery_status,
    letters_for_complaint,
)
from putright.casework.steps import (
    COMPENSATION_STEPS,
    COMPLETE_ACTION_STEP,
    REMEDY_OFFER_STEP,
    REVERSE_REFUSAL_STEP,
    row_step_url,
)
from putright.casework.steps import url_or_none as _url_or_none
from putright.complaints.deadlines import escalation_window_end
from putright.complaints.models import (
    Action,
    Complaint,
    ComplaintEvent,
    Correspondence,
    Decision,
    Direction,
    Document,
    DueKind,
    Extension,
    Note,
    Point,
    Refusal,
    Remedy,
    RemedyKind,
    RootCause,
    Stage,
    Status,
)
from putright.complaints.services import actions_update_interval
from putright.complaints.standing import missed_timescales
from putright.core import clock
from putright.core.money import pounds
from putright.organisation.selectors import current_calendar, get_organisation
from putright.people.models import Resident
from putright.people.selectors import ResidentProfile, resident_profile
from putright.redress.services import steps_from as compensation_steps_from

# The timeline's filters (``?show=``); an empty value shows everything.
TIMELINE_KINDS: dict[str, str] = {
    "history": "History",
    "correspondence": "Correspondence",
    "notes": "Notes",
    "documents": "Documents",
}
# History events that only say a record was added: in the full timeline the record itself
# stands in their place. Reads of a confidential case are listed under "History" only.
RECORD_EVENTS = frozenset(
    {
        ComplaintEvent.Action.CORRESPONDENCE_RECORDED,
        ComplaintEvent.Action.NOTE_ADDED,
        ComplaintEvent.Action.DOCUMENT_UPLOADED,
        ComplaintEvent.Action.VIEWED,
        ComplaintEvent.Action.LETTER_ISSUED,
    }
)
# The event each kind of record writes when it is added.
REFUSAL_EVENTS = {ComplaintEvent.Action.NOT_ACCEPTED, ComplaintEvent.Action.ESCALATION_REFUSED}
RECORDED_BY = {
    "correspondence": ComplaintEvent.Action.CORRESPONDENCE_RECORDED,
    "notes": ComplaintEvent.Action.NOTE_ADDED,
    "documents": ComplaintEvent.Action.DOCUMENT_UPLOADED,
}
OTHER_COMPLAINTS_SHOWN = 10
_ACTION_LABELS = dict(ComplaintEvent.Action.choices)
_ROOT_CAUSE_LABELS = dict(RootCause.choices)


@dataclass(frozen=True)
class Deadline:
    """The next date the case must meet, and how many working days are left to meet it."""

    kind: str  # "acknowledgement", "response" or "escalation_window"
    stage_number: int
    due_on: dt.date
    working_days_left: int  # 0 when due today, negative when overdue
    original_due: dt.date | None = None  # the response date before any extension
    extension_cap: dt.date | None = None

    @property
    def is_overdue(self) -> bool:
        return self.working_days_left < 0

    @property
    def is_due_today(self) -> bool:
        return self.working_days_left == 0

    @property
    def working_days_overdue(self) -> int:
        return -self.working_days_left

    @property
    def is_extended(self) -> bool:
        return self.original_due is not None and self.original_due != self.due_on

    @property
    def days_label(self) -> str:
        """ "Overdue by 2 working days", "Due today", "1 working day left". The escalation window
        is the resident's time, not a deadline of ours: it ends rather than goes overdue."""
        if self.kind == "escalation_window" and self.working_days_left <= 0:
            return "Ended" if self.working_days_left < 0 else "Last day today"
        return days_left_label(self.working_days_left)

    @property
    def tag_class(self) -> str:
        if self.kind == "escalation_window":
            return "govuk-tag--grey" if self.working_days_left < 0 else "govuk-tag--blue"
        return days_left_tag_class(self.working_days_left)


def days_left_label(days: int) -> str:
    if days < 0:
        return f"Overdue by {-days} working day{'' if days == -1 else 's'}"
    if days == 0:
        return "Due today"
    return f"{days} working day{'' if days == 1 else 's'} left"


def days_left_tag_class(days: int) -> str:
    """Red when overdue, orange when due today, yellow within 2 working days, else green."""
    if days < 0:
        return "govuk-tag--red"
    if days == 0:
        return "govuk-tag--orange"
    if days <= 2:
        return "govuk-tag--yellow"
    return "govuk-tag--green"


@dataclass(frozen=True)
class PointRecord:
    point: Point
    decision: Decision | None


@dataclass(frozen=True)
class ActionRecord:
    action: Action
    is_overdue: bool
    complete_url: str | None
    reassign_url: str | None = None  # complaints managers (putright.tracking)


@dataclass(frozen=True)
class StageRecord:
    """One stage with its complaint definition, response, remedies, actions and extensions."""

    stage: Stage
    points: list[PointRecord]
    remedies: list[tuple[Remedy, str]]  # (remedy, amount in pounds or "")
    remedies_total: str  # financial remedies added up, in pounds ("" when none)
    actions: list[ActionRecord]
    extensions: list[Extension]
    root_causes: list[str]  # labels
    is_current: bool
    draft_returned: dict | None  # {"returned": ISO date, "note": ...} while a draft is returned
    # Financial remedy id -> where its money is: {"status", "steps": [{"text", "href"}]}.
    money: dict[int, dict] = field(default_factory=dict)
    # An update to the resident on this stage's open actions is due (Code 6.6, 6.17), and the
    # working days between updates (agreed, or the organisation's default).
    actions_update_due: bool = False
    actions_update_interval: int | None = None
    actions_update_interval_url: str | None = None

    @property
    def number(self) -> int:
        return self.stage.number

    @property
    def remedy_rows(self) -> list[tuple[Remedy, str, dict | None]]:
        """(remedy, amount in pounds, its payment's status and steps or ``None``)."""
        return [(remedy, amount, self.money.get(remedy.pk)) for remedy, amount in self.remedies]

    @property
    def draft_waiting(self) -> bool:
        stage = self.stage
        return (
            bool(stage.draft)
            and self.draft_returned is None
            and stage.signed_off_by_id is None
            and stage.responded_on is None
        )


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # a key of TIMELINE_KINDS
    title: str
    on: dt.date  # when it happened
    recorded_at: dt.datetime  # when PutRight wrote it
    by: str
    text: str
    document: Document | None = None
    document_url: str | None = None
    link: tuple[str, str] | None = None  # (text, url) of a page about the entry

    @property
    def shown_at(self) -> dt.date | dt.datetime:
        """The recorded time when it was recorded on the day it happened, else the date alone."""
        if timezone.localtime(self.recorded_at).date() == self.on:
            return self.recorded_at
        return self.on


@dataclass(frozen=True)
class RefusalRecord:
    refusal: Refusal
    reverse_url: str | None


@dataclass(frozen=True)
class CaseFile:
    complaint: Complaint
    profile: ResidentProfile
    stages: list[StageRecord]
    refusals: list[RefusalRecord]
    standing_refusal: Refusal | None
    next_deadline: Deadline | None
    timeline: list[TimelineEntry]
    show: str
    duplicate_of_visible: bool
    duplicates: list[Complaint]
    co_complainants: list[Resident]
    other_complaints: list[Complaint]
    more_other_complaints: bool
    today: dt.date
    restrictions_in_force: list = field(default_factory=list)
    restrictions_to_come: list = field(default_factory=list)
    # Letters for post not yet posted, and emails that failed to send.
    letters_needing_attention: list = field(default_factory=list)

    @property
    def current_stage(self) -> StageRecord | None:
        return self.stages[-1] if self.stages else None

    @property
    def compensation(self) -> str:
        """Financial remedies offered across every stage, in pounds ("" when none)."""
        money = [
            remedy.amount_pence
            for record in self.stages
            for remedy, _ in record.remedies
            if remedy.amount_pence is not None
        ]
        return pounds(sum(money)) if money else ""

    @property
    def missed(self) -> str:
        """What made the complaint breached, e.g. "Stage 1 acknowledged late"."""
        missed = [m for record in self.stages for m in missed_timescales(record.stage)]
        return "; ".join(missed).capitalize()

    @property
    def open_actions(self) -> int:
        return sum(1 for record in self.stages for a in record.actions if a.action.status == "open")


def case_complaint(reference: str) -> Complaint:
    """The complaint with everything its summary names, in one query.

    Raises ``Complaint.DoesNotExist``.
    """
    return Complaint.objects.select_related(
        "complainant",
        "property",
        "category",
        "sub_category",
        "representative",
        "business_area",
        "handler",
        "duplicate_of",
    ).get(reference=reference)


def case_file(
    *, complaint: Complaint, user: Any, show: str = "", today: dt.date | None = None
) -> CaseFile:
    """The case file of ``complaint`` (from ``case_complaint``) as ``user`` may see it.

    ``show`` filters the timeline to one kind of entry (a key of ``TIMELINE_KINDS``); anything
    else shows every kind. Special category data follows ``resident_profile``: disabilities and
    equality answers only for users with ``people.view_special_category``.
    """
    today = today or clock.today()
    show = show if show in TIMELINE_KINDS else ""
    calendar = current_calendar()
    profile = resident_profile(complaint.complainant_id, user=user, on_date=today)
    stages = _stages(complaint, user, today)
    events = ComplaintEvent.objects.filter(complaint=complaint).select_related("actor")
    if show != "history":
        # Only the history lists who opened a confidential case. Each opening is recorded, so
        # read everywhere else they would make every later opening slower than the last.
        events = events.exclude(action=ComplaintEvent.Action.VIEWED)
    events = list(events)
    happened = {event.action for event in events}
    # A refusal is always written with its event, so a case without one has no refusal to read.
    refusals = (
        list(
            Refusal.objects.filter(complaint=complaint).select_related(
                "reason", "decided_by", "reversed_by"
            )
        )
        if happened & REFUSAL_EVENTS
        else []
    )
    standing = (
        next((r for r in reversed(refusals) if r.reversed_on is None), None)
        if complaint.status in (Status.NOT_ACCEPTED, Status.ESCALATION_REFUSED)
        else None
    )
    duplicates, others = _linked(complaint, user, happened)
    restrictions = profile.restrictions
    # Every letter is written with its event, so a case without one has no letter to read.
    letters = (
        list(letters_for_complaint(complaint))
        if ComplaintEvent.Action.LETTER_ISSUED in happened
        else []
    )
    return CaseFile(
        complaint=complaint,
        profile=profile,
        stages=stages,
        refusals=[
            RefusalRecord(
                refusal=r,
                reverse_url=row_step_url(REVERSE_REFUSAL_STEP, user, complaint, r.pk)
                if r is standing
                else None,
            )
            for r in refusals
        ],
        standing_refusal=standing,
        next_deadline=_next_deadline(complaint, stages, calendar, today),
        timeline=_timeline(complaint, show, events, letters),
        show=show,
        duplicate_of_visible=complaint.duplicate_of is not None
        and can_view(user, complaint.duplicate_of),
        duplicates=duplicates,
        co_complainants=list(complaint.co_complainants.all()),
        other_complaints=others[:OTHER_COMPLAINTS_SHOWN],
        more_other_complaints=len(others) > OTHER_COMPLAINTS_SHOWN,
        today=today,
        restrictions_in_force=[r for r in restrictions if r.is_in_force(today)],
        restrictions_to_come=[r for r in restrictions if r.starts_on > today],
        letters_needing_attention=[
            letter for letter in letters if letter_delivery_needs_attention(letter)
        ],
    )


def _stages(complaint: Complaint, user: Any, today: dt.date) -> list[StageRecord]:
    """Every stage with its rows: one query per kind of row, whatever their number."""
    stages = list(
        Stage.objects.filter(complaint=complaint)
        .select_related("handler", "drafted_by", "signed_off_by")
        .order_by("number")
    )
    # Rows a stage can only have once it reached a step are read only when it did: remedies and
    # actions after the response, extensions once extended. Points may come before the
    # acknowledgement (Code 6.8), so they are always read.
    lookups = {
        "points": Prefetch("points", queryset=Point.objects.select_related("decision")),
        "remedies": Prefetch(
            "remedies", queryset=Remedy.objects.select_related("compensation").order_by("id")
        ),
        "actions": Prefetch(
            "actions",
            queryset=Action.objects.select_related("owner", "team", "completion_document"),
        ),
        "extensions": Prefetch(
            "extensions", queryset=Extension.objects.order_by("notice_on", "id")
        ),
    }
    reached = {
        "points": True,
        "remedies": any(s.responded_on for s in stages),
        "actions": any(s.responded_on for s in stages),
        "extensions": any(s.extended_due for s in stages),
    }
    prefetch_related_objects(stages, *(lookups[name] for name, yes in reached.items() if yes))

    def rows(stage: Stage, name: str) -> list:
        return list(getattr(stage, name).all()) if reached[name] else []

    records = []
    may_reassign = user.has_perm(REASSIGN_ACTION)
    for index, stage in enumerate(stages):
        remedies = rows(stage, "remedies")
        actions = rows(stage, "actions")
        money = [r.amount_pence for r in remedies if r.amount_pence is not None]
        draft = stage.draft or {}
        records.append(
            StageRecord(
                stage=stage,
                points=[PointRecord(p, _decision(p)) for p in rows(stage, "points")],
                remedies=[(r, pounds(r.amount_pence)) for r in remedies],
                remedies_total=pounds(sum(money)) if money else "",
                actions=[
                    ActionRecord(
                        action=a,
                        is_overdue=a.status == Action.Status.OPEN and a.due_on < today,
                        complete_url=row_step_url(COMPLETE_ACTION_STEP, user, complaint, a.pk)
                        if a.status == Action.Status.OPEN
                        else None,
                        reassign_url=_reassign_url(a.pk)
                        if may_reassign and a.status == Action.Status.OPEN
                        else None,
                    )
                    for a in actions
                ],
                extensions=rows(stage, "extensions"),
                root_causes=[_ROOT_CAUSE_LABELS.get(c, c) for c in stage.root_causes or ()],
                is_current=index == len(stages) - 1,
                draft_returned=draft.get("returned") if stage.responded_on is None else None,
                money=_money(remedies, user, complaint),
                actions_update_due=stage.actions_update_due is not None
                and stage.actions_update_due <= today
                and any(a.status == Action.Status.OPEN for a in actions),
                actions_update_interval=actions_update_interval(stage)
                if any(a.status == Action.Status.OPEN for a in actions)
                else None,
                actions_update_interval_url=_tracking_url(
                    "update-interval", reference=complaint.reference, number=stage.number
                ),
            )
        )
    return records


def _tracking_url(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(f"tracking:{name}", kwargs=kwargs)
    except NoReverseMatch:  # a deployment without the action tracker
        return None


def _reassign_url(pk: int) -> str | None:
    return _tracking_url("reassign", pk=pk)


def _money(remedies: list[Remedy], user: Any, complaint: Complaint) -> dict[int, dict]:
    """Each financial remedy's compensation status and the steps ``user`` may take next (read
    with the remedies, so no further query)."""
    money = {}
    for remedy in remedies:
        if remedy.kind != RemedyKind.COMPENSATION or not remedy.amount_pence:
            continue
        try:
            compensation = remedy.compensation
        except ObjectDoesNotExist:
            compensation = None
        if compensation is None:
            status = "Offer not recorded"
            candidates = [(REMEDY_OFFER_STEP, remedy.pk)]
        else:
            status = compensation.get_status_display()
            if compensation.ombudsman != "none":
                status = f"{status} ({compensation.get_ombudsman_display().lower()})"
            candidates = [
                (COMPENSATION_STEPS[step], compensation.pk)
                for step in compensation_steps_from(compensation.status)
            ]
        steps = []
        for step, pk in candidates:
            href = row_step_url(step, user, complaint, pk)
            if href is not None:
                steps.append({"text": step.label, "href": href})
        money[remedy.pk] = {"status": status, "steps": steps}
    return money


def _decision(point: Point) -> Decision | None:
    try:
        return point.decision
    except Decision.DoesNotExist:
        return None


def _next_deadline(
    complaint: Complaint, stages: list[StageRecord], calendar: Any, today: dt.date
) -> Deadline | None:
    """The open stage's next Code deadline (the stored queue fields say which), or, after a
    stage 1 response, the last day the resident may ask to escalate before it is closed."""
    if not stages:
        return None
    current = stages[-1].stage
    if complaint.next_due_on is not None:
        response = complaint.next_due_kind == DueKind.RESPONSE
        return Deadline(
            kind=complaint.next_due_kind,
            stage_number=current.number,
            due_on=complaint.next_due_on,
            working_days_left=calendar.between(today, complaint.next_due_on),
            original_due=current.response_due if response else None,
            extension_cap=current.extension_cap if response else None,
        )
    if complaint.status == Status.STAGE1_RESPONDED and current.responded_on is not None:
        window = get_organisation().escalation_window_days
        last_day = escalation_window_end(calendar, current.responded_on, window)
        return Deadline(
            kind="escalation_window",
            stage_number=1,
            due_on=last_day,
            working_days_left=calendar.between(today, last_day),
        )
    return None


def _linked(complaint: Complaint, user: Any, happened: set[str]) -> tuple[list, list]:
    """Complaints marked as duplicates of this one (read only when one was: the marking writes
    its event here), and the complainant's other complaints, newest first, one more than shown."""
    fields = ("reference", "status", "received_on", "is_confidential", "handler_id")
    duplicates = (
        list(
            visible_complaints(user, Complaint.objects.filter(duplicate_of=complaint))
            .only(*fields)
            .order_by("received_on", "id")
        )
        if ComplaintEvent.Action.DUPLICATE_LINKED in happened
        else []
    )
    others = list(
        visible_complaints(user, Complaint.objects.filter(complainant_id=complaint.complainant_id))
        .exclude(pk=complaint.pk)
        .only(*fields)
        .order_by("-received_on", "-id")[: OTHER_COMPLAINTS_SHOWN + 1]
    )
    return duplicates, others


def _letters(complaint: Complaint, letters: list) -> list[TimelineEntry]:
    """Each letter issued on the case, with how it went and a link to it as sent."""
    entries = []
    for letter in letters:
        to = "representative" if letter.recipient.get("is_representative") else "resident"
        entries.append(
            TimelineEntry(
                kind="correspondence",
                title=f"Letter to {to}: {letter.heading}",
                on=letter.dated,
                recorded_at=letter.created_at,
                by=str(letter.issued_by) if letter.issued_by else "",
                text=letter_delivery_status(letter),
                link=(
                    "Read the letter",
                    _url_or_none("letter", reference=complaint.reference, pk=letter.pk),
                ),
            )
        )
    return entries


def _timeline(complaint: Complaint, show: str, events: list, letters: list) -> list[TimelineEntry]:
    """History, correspondence, notes and documents, newest first (one query each).

    The full view reads the history first: every correspondence, note and document is written
    by a service that also writes its event, so a kind with no event has no rows to read.
    """
    entries: list[TimelineEntry] = []
    wanted = {show} if show else {"history", "correspondence", "notes", "documents"}
    recorded = {event.action for event in events}
    if show in ("", "correspondence"):
        entries += _letters(complaint, letters)
    if show in ("", "history"):
        if not show:
            wanted = {kind for kind in wanted if RECORDED_BY.get(kind) in recorded | {None}}
            events = [event for event in events if event.action not in RECORD_EVENTS]
        for event in events:
            entries.append(
                TimelineEntry(
                    kind="history",
                    title=_ACTION_LABELS.get(event.action, event.action),
                    on=event.happened_on,
                    recorded_at=event.recorded_at,
                    by=str(event.actor) if event.actor else event.actor_description,
                    text=event.summary,
                )
            )
    if "correspondence" in wanted:
        rows = Correspondence.objects.filter(complaint=complaint).select_related(
            "recorded_by", "document"
        )
        for row in rows:
            word = "from" if row.direction == Direction.IN else "to"
            entries.append(
                TimelineEntry(
                    kind="correspondence",
                    title=f"{row.get_channel_display()} {word} {row.get_party_display().lower()}",
                    on=row.happened_on,
                    recorded_at=row.created_at,
                    by=str(row.recorded_by) if row.recorded_by else "",
                    text=row.summary,
                    document=row.document,
                    document_url=_url_or_none(
                        "document", reference=complaint.reference, pk=row.document_id
                    )
                    if row.document_id
                    else None,
                )
            )
    if "notes" in wanted:
        for note in Note.objects.filter(complaint=complaint).select_related("written_by"):
            entries.append(
                TimelineEntry(
                    kind="notes",
                    title="Note",
                    on=note.written_on,
                    recorded_at=note.created_at,
                    by=str(note.written_by) if note.written_by else "",
                    text=note.text,
                )
            )
    if "documents" in wanted:
        documents = Document.objects.filter(complaint=complaint).select_related("uploaded_by")
        for document in documents:
            entries.append(
                TimelineEntry(
                    kind="documents",
                    title=f"{document.get_kind_display()} uploaded",
                    on=document.uploaded_on,
                    recorded_at=document.created_at,
                    by=str(document.uploaded_by) if document.uploaded_by else "",
                    text="",
                    document=document,
                    document_url=_url_or_none(
                        "document", reference=complaint.reference, pk=document.pk
                    ),
                )
            )
    entries.sort(key=lambda e: (e.on, e.recorded_at), reverse=True)
    return entries

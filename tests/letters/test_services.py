"""Issuing letters through the services: the step and its letter in one call.

Records come from ``records`` (dates worked by hand there). Each step below is taken with its
letter on the record built up to just before it.
"""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import (
    Complaint,
    ComplaintEvent,
    Correspondence,
    Document,
    Extension,
    Status,
)
from putright.core.errors import StepRefused
from putright.letters import services as letters
from putright.letters.models import Delivery, IssuedLetter, WordingVersion
from putright.letters.render import blocks, render_text
from putright.letters.stored import as_letter
from putright.organisation.selectors import get_organisation
from putright.outbox.models import OutgoingEmail
from putright.people.models import ContactMethod, Format
from putright.rules.letters import LETTER_TYPES
from tests.letters import records as r
from tests.letters.test_compose import COMPLETE
from tests.people.factories import ResidentFactory

D = r.D


def _stage2_ready(log, officer) -> Complaint:
    complaint = r.responded(log, officer)
    services.complaint_escalate(acting_user=officer, complaint=complaint, on=r.ESCALATED)
    handler = r.stage2_handler()
    services.complaint_allocate(
        acting_user=handler, complaint=complaint, handler=handler, stage=2, on=r.ESCALATED
    )
    return complaint


def _stage1_ready_to_respond(log, officer) -> Complaint:
    return r.extended(r.acknowledged(log, officer), officer)


# Each step with a letter: the record just before it, the issuing service, its arguments and
# the date the letter (and the Code clock) must carry.
STEPS = {
    "stage1_acknowledgement": (
        lambda log, officer: log(complainant=r.resident()),
        letters.acknowledgement_issue,
        lambda c, officer: {
            "on": r.ACKNOWLEDGED,
            "points": r.STAGE1_POINTS,
            "not_responsible_for": r.NOT_RESPONSIBLE_FOR,
        },
        r.ACKNOWLEDGED,
    ),
    "stage2_acknowledgement": (
        _stage2_ready,
        letters.acknowledgement_issue,
        lambda c, officer: {
            "stage": 2,
            "on": r.STAGE2_ACKNOWLEDGED,
            "points": r.STAGE2_POINTS,
            "not_responsible_for": "The council's bin collections",
        },
        r.STAGE2_ACKNOWLEDGED,
    ),
    "stage1_extension": (
        r.acknowledged,
        letters.extension_issue,
        lambda c, officer: {
            "new_due": r.EXTENDED_TO,
            "reason": "We are waiting for a damp survey, booked for 20 January.",
            "notice_on": r.EXTENSION_NOTICE,
            "ombudsman_details_given": True,
        },
        r.EXTENSION_NOTICE,
    ),
    "stage2_extension": (
        r.escalated,
        letters.extension_issue,
        lambda c, officer: {
            "new_due": D(2026, 3, 19),
            "reason": "The decorator who did the work is away until 9 March.",
            "notice_on": D(2026, 3, 2),
            "ombudsman_details_given": True,
        },
        D(2026, 3, 2),
    ),
    "not_accepted": (
        lambda log, officer: log(complainant=r.resident()),
        letters.not_accepted_issue,
        lambda c, officer: {
            "reason": r.reason("acceptance"),
            "explanation": "A claim about the same damp was filed at the county court.",
            "evidence": "Claim form dated 1 December 2025.",
            "resident_told_on": D(2025, 12, 23),
            "ombudsman_rights_given": True,
            "on": D(2025, 12, 23),
        },
        D(2025, 12, 23),
    ),
    "escalation_refused": (
        r.responded,
        letters.escalation_refusal_issue,
        lambda c, officer: {
            "reason": r.reason("escalation"),
            "explanation": "The damp is now part of a disrepair claim filed at court.",
            "evidence": "Claim form dated 28 January 2026.",
            "resident_told_on": D(2026, 2, 3),
            "ombudsman_rights_given": True,
            "on": D(2026, 2, 3),
        },
        D(2026, 2, 3),
    ),
    "stage1_response": (
        _stage1_ready_to_respond,
        letters.response_issue,
        lambda c, officer: {
            "on": r.RESPONDED,
            "decisions": r.decisions(c, 2),
            "remedies": r.remedies(2),
            "actions": r.actions(r.owner(), 2),
        },
        r.RESPONDED,
    ),
    "stage2_response": (
        r.escalated,
        letters.response_issue,
        lambda c, officer: {
            "on": r.STAGE2_RESPONDED,
            "decisions": {1: ("upheld", "The decorator left before the job was signed off")},
        },
        r.STAGE2_RESPONDED,
    ),
}


def _acknowledge(complaint, officer):
    """Stage 1 acknowledged on Wed 31 Dec 2025, with its letter."""
    return letters.acknowledgement_issue(
        acting_user=officer,
        complaint=complaint,
        on=r.ACKNOWLEDGED,
        points=r.STAGE1_POINTS,
        not_responsible_for=r.NOT_RESPONSIBLE_FOR,
    )


def _take(key, log, officer, **extra):
    prepare, issue, arguments, _ = STEPS[key]
    complaint = prepare(log, officer)
    acting = complaint.handler or officer
    return complaint, issue(
        acting_user=acting, complaint=complaint, **arguments(complaint, officer), **extra
    )


def test_every_letter_that_belongs_to_a_step_is_issued_with_it_here():
    step_types = {key for key, t in LETTER_TYPES.items() if t.kind in letters.STEP_KINDS}
    assert set(STEPS) == step_types


@pytest.mark.parametrize("key", list(STEPS))
def test_a_step_and_its_letter_are_recorded_together_on_the_steps_date(key, log, officer):
    complaint, letter = _take(key, log, officer)

    assert letter.type_key == key
    assert letter.dated == STEPS[key][3]
    assert letter.complaint_id == complaint.pk
    issued = ComplaintEvent.objects.get(complaint=complaint, action="letter_issued")
    assert issued.happened_on == letter.dated
    assert issued.changes["letter"][1]["id"] == letter.pk
    # The stored letter is the letter that passed the check, word for word.
    assert as_letter(letter).check() == []
    assert list(letter.sections) == list(LETTER_TYPES[key].element_keys)


def _element_cases():
    for key, letter_type in LETTER_TYPES.items():
        for element in letter_type.elements:
            if element.key != "sign_off":  # the sign-off is the sender, not a section
                yield pytest.param(key, element.key, id=f"{key}-{element.key}")


@pytest.mark.parametrize(("key", "element"), list(_element_cases()))
def test_a_letter_missing_any_required_element_is_not_issued(key, element, log, officer):
    sections = {element: ""}
    if key in STEPS:
        prepare, issue, arguments, _ = STEPS[key]
        complaint = prepare(log, officer)
        before = (complaint.version, complaint.status)
        acting = complaint.handler or officer
        with pytest.raises(letters.LetterIncomplete) as refused:
            issue(
                acting_user=acting,
                complaint=complaint,
                letter_sections=sections,
                **arguments(complaint, officer),
            )
        complaint.refresh_from_db()
        assert (complaint.version, complaint.status) == before  # the step was not taken
    else:
        complaint = _standalone_record(key, log, officer)
        with pytest.raises(letters.LetterIncomplete) as refused:
            letters.letter_issue(
                acting_user=officer,
                complaint=complaint,
                letter_type_key=key,
                sections=_free_body(key) | sections,
                on=_standalone_date(key),
            )
    fields = {problem.field for problem in refused.value.every()}
    assert any(field == element or field.startswith(f"{element}-") for field in fields), fields
    assert all(error.code == "letter_incomplete" for error in refused.value.every())
    assert not IssuedLetter.objects.filter(complaint=complaint).exists()


def _standalone_record(key, log, officer):
    if key == "free":
        return r.acknowledged(log, officer)
    return COMPLETE[key][0](log, officer)


def _standalone_date(key):
    return COMPLETE[key][1] if key in COMPLETE else D(2026, 1, 5)


def _free_body(key):
    return {"body": "We will visit on Tuesday to look at the damp."} if key == "free" else {}


@pytest.mark.parametrize("key", ["stage1_actions_update", "stage1_closure", "stage2_closure"])
def test_a_letter_of_its_own_is_issued_from_a_complete_record(key, log, officer, set_today):
    set_today(D(2026, 3, 10))
    complaint = COMPLETE[key][0](log, officer)

    letter = letters.letter_issue(
        acting_user=officer, complaint=complaint, letter_type_key=key, on=COMPLETE[key][1]
    )

    assert (letter.type_key, letter.dated) == (key, COMPLETE[key][1])
    assert ComplaintEvent.objects.filter(complaint=complaint, action="letter_issued").count() == 1


def test_a_free_letter_needs_its_body_written(log, officer, set_today):
    set_today(D(2026, 1, 5))
    complaint = r.acknowledged(log, officer)

    with pytest.raises(letters.LetterIncomplete):
        letters.letter_issue(acting_user=officer, complaint=complaint, letter_type_key="free")
    letter = letters.letter_issue(
        acting_user=officer,
        complaint=complaint,
        letter_type_key="free",
        sections=_free_body("free"),
    )
    assert letter.sections["body"] == "We will visit on Tuesday to look at the damp."


def test_a_closure_letter_waits_for_the_complaint_to_close(log, officer, set_today):
    set_today(D(2026, 2, 2))
    complaint = r.responded(log, officer)  # stage 1 responded on Tue 27 Jan 2026, still open

    for service in (letters.letter_draft, letters.letter_issue):
        with pytest.raises(StepRefused) as refused:
            service(acting_user=officer, complaint=complaint, letter_type_key="stage1_closure")
        assert refused.value.code == "letter_not_closed"
    assert not IssuedLetter.objects.filter(complaint=complaint).exists()


def test_a_draft_shows_what_a_letter_of_its_own_still_lacks_and_stores_nothing(
    log, officer, set_today
):
    set_today(D(2026, 1, 5))
    complaint = r.acknowledged(log, officer)

    draft = letters.letter_draft(acting_user=officer, complaint=complaint, letter_type_key="free")
    assert [problem.key for problem in draft.check()] == ["body"]
    written = letters.letter_draft(
        acting_user=officer,
        complaint=complaint,
        letter_type_key="free",
        sections=_free_body("free"),
    )
    assert written.check() == []
    assert written.date == D(2026, 1, 5)
    assert not IssuedLetter.objects.exists()
    assert not WordingVersion.objects.exists()  # only issuing stores the wording's version 1


def test_a_step_letter_cannot_be_issued_without_its_step(log, officer):
    complaint = r.acknowledged(log, officer)

    with pytest.raises(StepRefused) as refused:
        letters.letter_issue(
            acting_user=officer, complaint=complaint, letter_type_key="stage1_acknowledgement"
        )
    assert refused.value.code == "letter_belongs_to_step"


def test_an_unnamed_organisation_stops_every_letter(log, officer):
    organisation = get_organisation()
    organisation.name = ""
    organisation.save()
    complaint = log(complainant=r.resident())

    with pytest.raises(letters.LetterIncomplete) as refused:
        letters.acknowledgement_issue(
            acting_user=officer,
            complaint=complaint,
            on=r.ACKNOWLEDGED,
            points=r.STAGE1_POINTS,
            not_responsible_for=r.NOT_RESPONSIBLE_FOR,
        )
    assert [error.message for error in refused.value.every()] == [
        "The letter: Replace the filler text '[organisation name]' in the sign off section"
    ]
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_a_step_the_rules_refuse_raises_the_rule_not_the_letter(log, officer):
    complaint = r.acknowledged(log, officer)

    with pytest.raises(StepRefused) as refused:
        letters.acknowledgement_issue(
            acting_user=officer, complaint=complaint, on=r.ACKNOWLEDGED, points=r.STAGE1_POINTS
        )
    assert not isinstance(refused.value, letters.LetterIncomplete)


def test_an_unallocated_case_is_signed_by_whoever_issues_the_letter(log, officer):
    complaint = log(complainant=r.resident(), handler=None)

    letter = _acknowledge(complaint, officer)
    assert letter.sender["name"] == officer.full_name


def test_the_preview_is_the_letter_that_would_go_and_changes_nothing(log, officer):
    prepare, issue, arguments, _ = STEPS["stage1_extension"]
    complaint = prepare(log, officer)
    before = complaint.version

    letter = letters.letter_preview(
        issue, acting_user=officer, complaint=complaint, **arguments(complaint, officer)
    )

    assert letter.check() == []
    assert "29 January 2026" in letter.sections["new_response_date"]
    complaint.refresh_from_db()
    assert complaint.version == before
    assert not Extension.objects.filter(stage__complaint=complaint).exists()
    assert not IssuedLetter.objects.exists()


def test_the_preview_shows_what_a_letter_lacks(log, officer):
    prepare, issue, arguments, _ = STEPS["stage1_extension"]
    complaint = prepare(log, officer)

    letter = letters.letter_preview(
        issue,
        acting_user=officer,
        complaint=complaint,
        letter_sections={"reasons": ""},
        **arguments(complaint, officer),
    )
    assert [problem.key for problem in letter.check()] == ["reasons"]


# --- after issue: how it goes -------------------------------------------------------------------


def _email_resident():
    return r.resident(email="amara@example.org", preferred_contact_method=ContactMethod.EMAIL)


def test_a_resident_who_asked_for_email_gets_the_pdf_by_email(log, officer):
    complaint = log(complainant=_email_resident())
    letter = _acknowledge(complaint, officer)
    assert letter.delivery == Delivery.EMAIL

    delivered = letters.letter_deliver(letter_id=letter.pk)
    again = letters.letter_deliver(letter_id=letter.pk)  # the worker may run it twice

    document = Document.objects.get(complaint=complaint, kind="letter")
    assert (delivered.document, again.document) == (document, document)
    assert document.content_type == "application/pdf"
    assert document.file.read()[:5] == b"%PDF-"
    email = OutgoingEmail.objects.get()
    assert (delivered.email, again.email) == (email, email)
    assert email.to == ["amara@example.org"]
    assert email.attachment == document
    assert email.text == render_text(as_letter(letter))
    for text in letter.sections.values():
        for block in blocks(text):
            for line in block.lines:
                assert line in email.text


def test_a_letter_for_post_is_kept_as_a_pdf_and_waits_to_be_posted(log, officer, set_today):
    set_today(D(2026, 1, 2))
    complaint = log(complainant=r.resident(preferred_format=Format.LARGE_PRINT))
    letter = _acknowledge(complaint, officer)
    letters.letter_deliver(letter_id=letter.pk)
    letter.refresh_from_db()
    assert (letter.delivery, letter.large_print, letter.email) == (Delivery.POST, True, None)
    assert letter.document is not None

    with pytest.raises(StepRefused) as refused:
        letters.letter_record_posted(acting_user=officer, letter=letter, on=D(2025, 12, 30))
    assert refused.value.code == "letter_posted_date"

    letters.letter_record_posted(acting_user=officer, letter=letter, on=D(2026, 1, 2))

    entry = Correspondence.objects.get(complaint=complaint)
    assert (entry.direction, entry.channel, entry.happened_on) == ("out", "letter", D(2026, 1, 2))
    assert entry.document == letter.document
    with pytest.raises(StepRefused) as refused:
        letters.letter_record_posted(acting_user=officer, letter=letter, on=D(2026, 1, 2))
    assert refused.value.code == "letter_already_posted"


def test_a_format_putright_cannot_make_is_flagged_to_arrange(log, officer):
    complaint = log(complainant=r.resident(preferred_format=Format.BRAILLE))
    letter = _acknowledge(complaint, officer)
    assert letter.format_note.startswith("Braille version asked for")


def test_email_asked_for_without_an_address_goes_by_post_and_says_so(log, officer):
    complaint = log(complainant=r.resident(email="", preferred_contact_method=ContactMethod.EMAIL))
    letter = _acknowledge(complaint, officer)
    assert letter.delivery == Delivery.POST
    assert "no email address" in letter.format_note


def test_an_email_letter_cannot_be_recorded_as_posted(log, officer):
    complaint = log(complainant=_email_resident())
    letter = _acknowledge(complaint, officer)
    with pytest.raises(StepRefused) as refused:
        letters.letter_record_posted(acting_user=officer, letter=letter, on=r.ACKNOWLEDGED)
    assert refused.value.code == "letter_not_for_post"


@pytest.mark.parametrize(
    ("email", "delivery", "note"),
    [
        ("amara@example.org", Delivery.EMAIL, "No postal address is recorded: sent by email"),
        ("", Delivery.POST, "No postal address is recorded: add one before posting it"),
    ],
)
def test_without_a_postal_address_a_letter_goes_by_email_if_it_can(
    email, delivery, note, log, officer
):
    homeless = ResidentFactory(title="Ms", last_name="Okafor", email=email)
    complaint = log(complainant=homeless)

    letter = _acknowledge(complaint, officer)
    assert (letter.delivery, letter.format_note) == (delivery, note)


def test_a_resident_who_speaks_another_language_is_flagged_for_an_interpreter(log, officer):
    complaint = log(complainant=r.resident(language="Tigrinya", interpreter_needed=True))

    letter = _acknowledge(complaint, officer)

    assert letter.format_note == (
        "The letter is in English and they speak Tigrinya: arrange an interpreter"
    )

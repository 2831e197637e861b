"""Composing each Code letter from the case record, checking it, and rendering it as HTML.

Records are built through the real services (``records``); the dates are worked by hand in
that module's docstring.
"""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from putright.complaints import services
from putright.core.errors import StepRefused
from putright.core.money import pounds
from putright.letters import wording
from putright.letters.compose import Letter, compose, resolve_letter_type
from putright.letters.render import blocks, render_html
from putright.organisation.models import OMBUDSMAN_CONTACT_DEFAULT
from putright.people.models import ContactMethod, Format
from putright.rules.letters import LETTER_TYPES, ProblemKind, check_letter
from putright.rules.provisions import STAGE_PROVISIONS
from putright.rules.readability import assess
from tests.letters import records as r
from tests.people.factories import RepresentativeFactory

D = r.D


def _stage2_extended(log, officer):
    complaint = r.escalated(log, officer)
    return services.stage_extend(
        acting_user=complaint.handler,
        complaint=complaint,
        new_due=D(2026, 3, 19),
        reason="The decorator who did the work is away until 9 March.",
        notice_on=D(2026, 3, 2),
        ombudsman_details_given=True,
    )


def _stage1_update(log, officer):
    return r.one_action_done(r.responded(log, officer), officer)


def _stage2_closed(log, officer):
    return r.all_actions_done(r.stage2_responded(log, officer), officer, on=D(2026, 3, 2))


# Each letter type: how to build a complete record for it, and the letter's date (None: the
# date of the step it belongs to).
COMPLETE = {
    "stage1_acknowledgement": (r.acknowledged, None),
    "stage2_acknowledgement": (r.escalated, None),
    "stage1_extension": (
        lambda log, officer: r.extended(r.acknowledged(log, officer), officer),
        None,
    ),
    "stage2_extension": (_stage2_extended, None),
    "not_accepted": (r.not_accepted, None),
    "escalation_refused": (r.escalation_refused, None),
    "stage1_response": (r.responded, None),
    "stage2_response": (r.stage2_responded, None),
    "stage1_actions_update": (_stage1_update, D(2026, 2, 6)),
    "stage2_actions_update": (r.stage2_responded, D(2026, 2, 27)),
    "stage1_closure": (r.closed_unescalated, D(2026, 2, 25)),
    "stage2_closure": (_stage2_closed, D(2026, 3, 3)),
}

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def text_of(letter: Letter) -> str:
    return "\n\n".join(letter.sections.values())


def test_every_letter_type_but_the_free_letter_has_a_complete_record_here():
    assert set(COMPLETE) == set(LETTER_TYPES) - {"free"}


@pytest.mark.parametrize("key", list(COMPLETE))
def test_a_letter_from_a_complete_record_passes_the_check_and_renders_every_section(
    key, log, officer
):
    build, on = COMPLETE[key]
    complaint = build(log, officer)
    letter = compose(key, complaint, on=on)

    assert letter.type is LETTER_TYPES[key]
    assert list(letter.sections) == list(letter.type.element_keys)
    assert letter.check() == []
    points = letter.points if letter.type.answers_points else None
    answered = letter.points_answered if letter.type.answers_points else None
    assert check_letter(letter.type, letter.sections, points=points, points_answered=answered) == []

    html = render_html(letter)
    for text in letter.sections.values():
        for block in blocks(text):
            for line in block.lines:
                assert escape(line) in html, line
    assert escape(letter.heading) in html
    assert "Dear Ms Okafor" in html
    assert "Greenway Homes" in html
    assert "style=" not in html and "<script" not in html  # the site's CSP forbids both
    assert not re.search(rf"\b0\d ({MONTHS})", html)


def test_letters_are_dated_on_their_step_unless_given_a_date(log, officer):
    complaint = r.responded(log, officer)
    assert compose("stage1_acknowledgement", complaint).date == r.ACKNOWLEDGED
    assert compose("stage1_extension", complaint).date == r.EXTENSION_NOTICE
    assert compose("stage1_response", complaint).date == r.RESPONDED
    assert compose("stage1_response", complaint, on=D(2026, 1, 28)).date == D(2026, 1, 28)


def test_the_letter_is_signed_by_the_handler_with_their_job_title(log, officer):
    letter = compose("stage1_response", r.responded(log, officer))
    assert (letter.sender.name, letter.sender.job_title) == ("Sam Patel", "Complaints Officer")
    assert letter.sender.organisation == "Greenway Homes"
    assert "Sam Patel<br>Complaints Officer<br>Greenway Homes" in render_html(letter)


def test_a_handler_without_a_job_title_leaves_filler_in_the_sign_off(log, officer):
    officer.job_title = ""
    officer.save(update_fields=["job_title"])
    letter = compose("stage1_response", r.responded(log, officer))
    problems = letter.check()
    assert [(p.key, p.kind) for p in problems] == [("sign_off", ProblemKind.FILLER)]
    assert problems[0].filler == (wording.FILL_JOB_TITLE,)


# Acknowledgement ------------------------------------------------------------------------------


def test_an_acknowledgement_sets_out_the_definition_and_the_response_date(log, officer):
    letter = compose("stage1_acknowledgement", r.acknowledged(log, officer))
    definition = letter.sections["complaint_definition"]
    assert "Point 1: The damp in the bedroom has not been treated." in definition
    assert "What you want us to do: Treat the damp and redecorate." in definition
    assert "Point 2: Nobody returned my calls about the damp." in definition
    assert letter.points == (1, 2)
    assert r.NOT_RESPONSIBLE_FOR in letter.sections["responsibilities"]
    # Acknowledged Wed 31 Dec 2025: 10 working days on, past the 1 January bank holiday.
    assert (
        letter.sections["response_date"] == "We will send you our full response by 15 January 2026."
    )


def test_a_reprinted_acknowledgement_keeps_the_date_it_gave_after_an_extension(log, officer):
    complaint = r.extended(r.acknowledged(log, officer), officer)
    letter = compose("stage1_acknowledgement", complaint)
    assert "15 January 2026" in letter.sections["response_date"]


def test_an_acknowledgement_without_recorded_responsibilities_flags_exactly_that(log, officer):
    complaint = log(complainant=r.resident())
    services.stage_acknowledge(
        acting_user=officer, complaint=complaint, on=r.ACKNOWLEDGED, points=r.STAGE1_POINTS
    )
    letter = compose("acknowledgement", complaint, stage_number=1)
    problems = letter.check()
    assert [(p.key, p.kind) for p in problems] == [("responsibilities", ProblemKind.FILLER)]
    assert problems[0].provision == "5.7"
    assert letter.sections["responsibilities"] == wording.FILL_RESPONSIBILITIES


def test_an_acknowledgement_before_the_stage_is_defined_is_all_filler_but_the_route(log, officer):
    complaint = log(complainant=r.resident())
    problems = compose("stage1_acknowledgement", complaint, on=D(2025, 12, 23)).check()
    assert [p.key for p in problems] == [
        "complaint_definition",
        "responsibilities",
        "response_date",
    ]
    assert {p.kind for p in problems} == {ProblemKind.FILLER}


# Extension ------------------------------------------------------------------------------------


def test_an_extension_gives_the_reasons_both_dates_and_the_ombudsman(log, officer):
    letter = compose("stage1_extension", r.extended(r.acknowledged(log, officer), officer))
    assert "We are waiting for a damp survey, booked for 20 January." in letter.sections["reasons"]
    new_date = letter.sections["new_response_date"]
    assert "by 29 January 2026" in new_date and "by 15 January 2026" in new_date
    assert wording.HOUSING_OMBUDSMAN.block in letter.sections["ombudsman_contact_details"]


def test_an_extension_letter_before_the_extension_is_recorded_leaves_both_to_write(log, officer):
    letter = compose("stage1_extension", r.acknowledged(log, officer), on=D(2026, 1, 14))
    problems = letter.check()
    assert [(p.key, p.kind) for p in problems] == [
        ("reasons", ProblemKind.FILLER),
        ("new_response_date", ProblemKind.FILLER),
    ]


def test_the_ombudsman_details_are_the_organisations_copy_when_it_has_one(log, officer):
    from putright.organisation.selectors import get_organisation

    organisation = get_organisation()
    organisation.ombudsman_contact = "Housing Ombudsman Service\nNew address line"
    organisation.save()
    letter = compose("stage1_extension", r.extended(r.acknowledged(log, officer), officer))
    assert "New address line" in letter.sections["ombudsman_contact_details"]


def test_the_standard_ombudsman_details_match_the_organisation_default():
    assert wording.HOUSING_OMBUDSMAN.block == OMBUDSMAN_CONTACT_DEFAULT
    assert wording.HOUSING_OMBUDSMAN.phone == "0300 111 3000"
    assert wording.HOUSING_OMBUDSMAN.address[-1] == "PR2 0ET"


# Refusals -------------------------------------------------------------------------------------


def test_a_complaint_not_accepted_gives_the_policy_reason_and_the_ombudsman_right(log, officer):
    letter = compose("not_accepted", r.not_accepted(log, officer))
    assert "The matter is the subject of legal proceedings." in letter.sections["refusal_reason"]
    assert letter.sections["refusal_explanation"].startswith("A claim about the same damp")
    right = letter.sections["ombudsman_right"]
    assert "The Ombudsman can tell us to accept your complaint." in right
    assert wording.HOUSING_OMBUDSMAN.email in right
    assert letter.date == D(2025, 12, 23)


def test_an_escalation_refused_is_signed_by_whoever_decided_it(log, officer):
    letter = compose("escalation_refused", r.escalation_refused(log, officer))
    assert "take your complaint to stage 2" in letter.sections["ombudsman_right"]
    assert letter.sender.name == "Sam Patel"
    assert letter.date == D(2026, 2, 3)


# Responses ------------------------------------------------------------------------------------


def test_a_response_gives_each_decision_with_its_reasons(log, officer):
    letter = compose("stage1_response", r.responded(log, officer))
    decisions = letter.sections["decisions"]
    assert (
        "Point 1: The damp in the bedroom has not been treated.\n"
        "Our decision: Upheld. We agree with your complaint about this.\n"
        "Why: The repair records for point 1 show what happened."
    ) in decisions
    assert "Our decision: Partly upheld." in decisions
    assert letter.points == letter.points_answered == (1, 2)


def test_amounts_show_in_pounds_with_pence(log, officer):
    letter = compose("stage1_response", r.responded(log, officer, n_remedies=4))
    remedy = letter.sections["remedy"]
    assert "- Apology: We apologise for the delay in treating the damp." in remedy
    assert "Financial remedy of £250.50: Payment 1" in remedy
    assert "Financial remedy of £1,000.00: Payment 2" in remedy
    assert "Financial remedy of £0.05: Payment 3" in remedy
    assert "In total we will pay you £1,250.55." in remedy
    assert "£1,250.55" in render_html(letter)


def test_one_payment_is_not_totalled_again(log, officer):
    remedy = compose("stage1_response", r.responded(log, officer)).sections["remedy"]
    assert "£250.50" in remedy and "In total" not in remedy


@pytest.mark.parametrize("pence", [0, 5, 99, 100, 25050, 123456789])
def test_pounds_always_show_pence(pence):
    assert re.fullmatch(r"£\d{1,3}(,\d{3})*\.\d{2}", pounds(pence))


def test_a_response_with_no_remedy_or_actions_says_so(log, officer):
    letter = compose("stage1_response", r.responded(log, officer, n_remedies=0, n_actions=0))
    assert letter.sections["remedy"] == wording.NO_REMEDY
    assert letter.sections["outstanding_actions"] == wording.NO_ACTIONS
    assert letter.check() == []


def test_actions_name_their_owner_and_date_without_a_leading_zero(log, officer):
    letter = compose("stage1_response", r.responded(log, officer))
    actions = letter.sections["outstanding_actions"]
    assert (
        "- Action 1: treat the damp in room 1. Jo Reed, Repairs Manager, will do this by "
        "5 February 2026."
    ) in actions
    assert "by 9 February 2026." in actions
    assert not re.search(rf"\b0\d ({MONTHS})", text_of(letter))


def test_a_stage_1_response_gives_the_escalation_window_worked_from_the_response(log, officer):
    route = compose("stage1_response", r.responded(log, officer)).sections["escalate_to_stage2"]
    # Responded Tue 27 Jan 2026; 20 working days later is Tue 24 Feb 2026.
    assert "Please ask within 20 working days of this letter, by 24 February 2026." in route
    assert "call us on 0300 123 4567" in route
    assert wording.HOUSING_OMBUDSMAN.website in route


def test_the_escalation_window_is_the_organisations(log, officer, organisation):
    organisation.escalation_window_days = 10
    organisation.save()
    route = compose("stage1_response", r.responded(log, officer)).sections["escalate_to_stage2"]
    # 10 working days after Tue 27 Jan 2026 is Tue 10 Feb 2026.
    assert "within 10 working days of this letter, by 10 February 2026." in route


def test_a_response_before_any_draft_leaves_every_decision_to_write(log, officer):
    letter = compose("stage1_response", r.acknowledged(log, officer), on=D(2026, 1, 12))
    problems = letter.check()
    assert [(p.key, p.kind, p.point) for p in problems] == [
        ("decisions", ProblemKind.FILLER, None),
        ("decisions", ProblemKind.UNANSWERED_POINT, 1),
        ("decisions", ProblemKind.UNANSWERED_POINT, 2),
        ("remedy", ProblemKind.FILLER, None),
        ("outstanding_actions", ProblemKind.FILLER, None),
    ]


def test_a_response_is_composed_from_the_draft_before_it_is_issued(log, officer):
    complaint = r.acknowledged(log, officer)
    who = r.owner()
    services.response_draft_submit(
        acting_user=officer,
        complaint=complaint,
        decisions=r.decisions(complaint, 2),
        remedies=r.remedies(2),
        actions=r.actions(who, 1),
        on=D(2026, 1, 12),
    )
    letter = compose("stage1_response", complaint, on=D(2026, 1, 13))
    assert letter.check() == []
    assert "Our decision: Upheld." in letter.sections["decisions"]
    assert "£250.50" in letter.sections["remedy"]
    assert (
        "Jo Reed, Repairs Manager, will do this by 5 February 2026."
        in (letter.sections["outstanding_actions"])
    )


def test_a_draft_with_a_point_undecided_flags_the_unanswered_point(log, officer):
    complaint = r.acknowledged(log, officer)
    services.response_draft_submit(
        acting_user=officer,
        complaint=complaint,
        decisions=r.decisions(complaint, 2),
        on=D(2026, 1, 12),
    )
    # A point added after the draft was written: the draft does not answer it.
    services.stage_point_add(
        acting_user=officer,
        complaint=complaint,
        summary="The mould has come back in the hall",
        outcome_sought="Treat the hall too",
        on=D(2026, 1, 13),
    )
    letter = compose("stage1_response", complaint, on=D(2026, 1, 14))
    assert letter.points == (1, 2, 3)
    assert letter.points_answered == (1, 2)
    unanswered = [p for p in letter.check() if p.kind is ProblemKind.UNANSWERED_POINT]
    assert [(p.key, p.point, p.field_id) for p in unanswered] == [("decisions", 3, "decisions-3")]
    assert unanswered[0].provision == "6.7"
    assert (
        "Point 3: The mould has come back in the hall.\n" + wording.FILL_DECISION
        in (letter.sections["decisions"])
    )


def test_a_stage_2_response_names_the_ombudsman_and_cites_nothing_from_stage_1(log, officer):
    letter = compose("stage2_response", r.stage2_responded(log, officer))
    text = text_of(letter)
    route = letter.sections["escalate_to_ombudsman"]
    assert "Housing Ombudsman" in route
    assert wording.HOUSING_OMBUDSMAN.block in route
    assert "final response" in letter.sections["stage"]
    assert letter.sender.name == "Lee Chen"
    # Nothing of stage 1: not its points, decisions, remedies or actions, not its name...
    for summary, sought in r.STAGE1_POINTS:
        assert summary not in text and sought not in text
    assert "repair records" not in text and "£250.50" not in text and "room 1" not in text
    assert "stage 1" not in text.lower()
    # ...and no stage 1 provision among the letter type's citations.
    stage1_only = set(STAGE_PROVISIONS[1].values()) - set(STAGE_PROVISIONS[2].values())
    cited = {e.provision for e in letter.type.elements} | {letter.type.provision}
    assert not cited & stage1_only
    assert letter.points == (1,)


# Actions update and closure --------------------------------------------------------------------


def test_an_actions_update_reports_done_and_open_actions(log, officer):
    letter = compose("stage1_actions_update", _stage1_update(log, officer), on=D(2026, 2, 6))
    progress = letter.sections["action_progress"]
    assert "in our response of 27 January 2026" in progress
    assert (
        "- Action 1: treat the damp in room 1. Done on 6 February 2026. "
        "Damp course injected and walls dried out."
    ) in progress
    assert "- Action 2: treat the damp in room 2. Not done yet." in progress
    assert letter.sections["next_steps"] == (
        "- Action 2: treat the damp in room 2. Jo Reed, Repairs Manager, will do this by "
        "9 February 2026."
    )


def test_a_late_action_leaves_its_new_date_to_the_handler(log, officer):
    letter = compose("stage1_actions_update", _stage1_update(log, officer), on=D(2026, 2, 10))
    assert "This was due by 9 February 2026 and is late." in letter.sections["next_steps"]
    assert [(p.key, p.filler) for p in letter.check()] == [
        ("next_steps", (wording.FILL_LATE_ACTION,))
    ]


def test_there_is_no_actions_update_before_the_response(log, officer):
    with pytest.raises(StepRefused) as refused:
        compose("stage1_actions_update", r.acknowledged(log, officer))
    assert refused.value.code == "not_responded"


def test_a_closure_after_the_window_says_why_and_that_stage_2_is_still_open(log, officer):
    letter = compose("stage1_closure", r.closed_unescalated(log, officer), on=D(2026, 2, 25))
    done = letter.sections["actions_completed"]
    assert (
        "We have closed it because we did not hear from you within 20 working days of our "
        "stage 1 response of 27 January 2026."
    ) in done
    assert "Financial remedy of £250.50" in done
    assert "Done on 10 February 2026. Done as agreed." in done
    assert "you can still ask us" in letter.sections["escalate_to_stage2"]


# The free letter ------------------------------------------------------------------------------


def test_a_free_letter_is_the_handlers_to_write(log, officer):
    letter = compose("free", r.responded(log, officer), on=D(2026, 2, 2))
    assert [(p.key, p.kind) for p in letter.check()] == [("body", ProblemKind.FILLER)]
    written = letter.edited(body="Thank you for your call today.\n\nWe will visit on Friday.")
    assert written.check() == []
    html = render_html(written)
    assert '<p class="govuk-body">We will visit on Friday.</p>' in html


def test_only_the_types_sections_can_be_edited(log, officer):
    letter = compose("free", log(complainant=r.resident()), on=D(2026, 2, 2))
    with pytest.raises(ValueError, match="no section greeting"):
        letter.edited(greeting="Hello")


# Recipient -------------------------------------------------------------------------------------


def test_the_letter_goes_to_the_residents_home_in_their_format(log, officer):
    person = r.resident(
        preferred_format=Format.LARGE_PRINT, preferred_contact_method=ContactMethod.EMAIL
    )
    letter = compose("stage1_response", r.responded(log, officer, complainant=person))
    recipient = letter.recipient
    assert (recipient.name, recipient.salutation) == ("Ms Amara Okafor", "Dear Ms Okafor")
    assert recipient.address == ("14 Elm Road", "Greenway", "GW2 2BQ")
    assert recipient.email == person.email
    assert recipient.preferred_format == Format.LARGE_PRINT
    assert recipient.preferred_format_label == "Large print"
    assert recipient.preferred_contact_method == ContactMethod.EMAIL
    assert not recipient.is_representative


def test_a_correspondence_address_comes_before_the_home(log, officer):
    person = r.resident(correspondence_address="Flat 2\n 9 Mill Lane \n\nGreenway\nGW3 3CQ")
    letter = compose("stage1_acknowledgement", r.acknowledged(log, officer, complainant=person))
    assert letter.recipient.address == ("Flat 2", "9 Mill Lane", "Greenway", "GW3 3CQ")


def test_a_complaint_with_an_active_representative_is_addressed_to_them(log, officer):
    person = r.resident(preferred_format=Format.EASY_READ)
    representative = RepresentativeFactory(
        resident=person,
        name="Grace Mensah",
        organisation="Greenway Advice Centre",
        address="12 High Street\nGreenway\nGW1 4DQ",
    )
    complaint = r.acknowledged(log, officer, complainant=person, representative=representative)
    letter = compose("stage1_acknowledgement", complaint)
    recipient = letter.recipient
    assert recipient.is_representative
    assert (recipient.name, recipient.salutation) == ("Grace Mensah", "Dear Grace Mensah")
    assert recipient.address == ("12 High Street", "Greenway", "GW1 4DQ")
    assert recipient.email == representative.email
    assert recipient.on_behalf_of == "Ms Amara Okafor"
    assert recipient.preferred_format == Format.EASY_READ  # the resident's own needs
    html = render_html(letter)
    assert "Grace Mensah<br>Greenway Advice Centre<br>12 High Street" in html
    assert "Complaint made by Ms Amara Okafor" in html
    assert "Dear Grace Mensah" in html


def test_a_representative_who_stopped_acting_is_not_written_to(log, officer):
    person = r.resident()
    representative = RepresentativeFactory(resident=person, name="Grace Mensah")
    complaint = r.acknowledged(log, officer, complainant=person, representative=representative)
    representative.is_active = False
    representative.ended_on = D(2026, 1, 5)
    representative.save()
    recipient = compose("stage1_acknowledgement", complaint).recipient
    assert not recipient.is_representative
    assert recipient.name == "Ms Amara Okafor"


# Choosing the letter type ----------------------------------------------------------------------


def test_a_kind_takes_the_complaints_current_stage_unless_told(log, officer):
    complaint = r.escalated(log, officer)
    assert compose("acknowledgement", complaint).type.key == "stage2_acknowledgement"
    one = compose("acknowledgement", complaint, stage_number=1)
    assert one.type.key == "stage1_acknowledgement"
    assert compose("not_accepted", complaint, on=D(2026, 2, 5)).type.stage == 1


def test_a_stage_that_contradicts_the_key_is_refused():
    with pytest.raises(ValueError, match="belongs to stage 1"):
        resolve_letter_type("stage1_response", 2)
    with pytest.raises(ValueError, match="Unknown letter type"):
        resolve_letter_type("postcard")


def test_a_letter_for_a_stage_the_complaint_does_not_have_is_refused(log, officer):
    with pytest.raises(StepRefused) as refused:
        compose("stage2_acknowledgement", r.acknowledged(log, officer))
    assert refused.value.code == "no_such_stage"


# Rendering -------------------------------------------------------------------------------------


def test_record_text_is_escaped_in_html(log, officer):
    complaint = r.acknowledged(
        log, officer, with_points=[("The <b>boiler</b> & the hot water", "Fix it")]
    )
    html = render_html(compose("stage1_acknowledgement", complaint))
    assert "The &lt;b&gt;boiler&lt;/b&gt; &amp; the hot water." in html
    assert "<b>" not in html


def test_lists_render_as_lists_and_a_document_stands_alone(log, officer):
    letter = compose("stage1_response", r.responded(log, officer))
    html = render_html(letter)
    assert '<ul class="govuk-list govuk-list--bullet"><li>Apology:' in html
    assert '<time datetime="2026-01-27">27 January 2026</time>' in html
    assert html.count("<h1") == 1
    document = render_html(letter, standalone=True)
    assert document.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in document
    assert "<title>Our response to your complaint – C-2025-00001</title>" in document


def test_readability_scores_a_composed_response(log, officer):
    letter = compose("stage1_response", r.responded(log, officer))
    result = assess(text_of(letter))
    assert isinstance(result.score, float)
    assert result.sentences

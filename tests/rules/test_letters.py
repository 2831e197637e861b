"""Letter types as data, and the checker that says what a drafted letter still lacks.

The parametrised tests walk the data; the hand-written ones below them pin the Code citations
and element lists themselves, so a mistake in the data cannot pass by agreeing with itself.
"""

from dataclasses import FrozenInstanceError

import pytest

from putright.rules.letters import (
    FILLER_PATTERN,
    LETTER_TYPES,
    Element,
    LetterKind,
    LetterType,
    Problem,
    ProblemKind,
    Source,
    check_letter,
    find_filler,
    letter_type,
)
from putright.rules.provisions import provision

# What a finished letter says in each section, written as a handler would. No filler anywhere.
FINISHED = {
    "complaint_definition": (
        "1. The repair to your kitchen window took eight weeks. You would like an apology.\n"
        "2. Nobody called you back. You would like us to explain why."
    ),
    "responsibilities": "We are responsible for the window. The fence belongs to your neighbour.",
    "response_date": "We will reply by Friday 16 January 2026.",
    "reasons": "We need a report from the glazier, who visits on 20 January.",
    "new_response_date": "We will now reply by Thursday 29 January 2026.",
    "ombudsman_contact_details": (
        "You can contact the Housing Ombudsman on 0300 111 3000 or at "
        "info@housing-ombudsman.org.uk."
    ),
    "refusal_reason": "The matter is already the subject of court proceedings.",
    "refusal_explanation": "A claim about the same repair was filed at court on 3 March 2025.",
    "ombudsman_right": (
        "If you disagree, you can ask the Housing Ombudsman to look at our decision. "
        "It can tell us to take your complaint on."
    ),
    "stage": "This is our stage 1 response to your complaint.",
    "decisions": "1. Upheld: the repair took too long. 2. Upheld: we did not call you back.",
    "remedy": "We apologise, and we will pay you £150 by 30 January 2026.",
    "outstanding_actions": "There are no outstanding actions.",
    "escalate_to_stage2": "If you are not happy, ask us for stage 2 by phone, email or letter.",
    "escalate_to_ombudsman": "If you are not happy, you can refer your complaint to the Ombudsman.",
    "action_progress": "The new window frame was ordered on 2 February.",
    "next_steps": "The glazier will fit it on 16 February.",
    "actions_completed": "We paid you £150 on 28 January and fitted the window on 16 February.",
    "body": "Thank you for your call on Monday about the parking permit.",
}


def finished(letter: LetterType) -> dict[str, str]:
    return {key: FINISHED[key] for key in letter.element_keys}


ALL_ELEMENTS = [
    pytest.param(t, e, id=f"{t.key}-{e.key}") for t in LETTER_TYPES.values() for e in t.elements
]


# --- every element of every type, from the data ------------------------------------------------


@pytest.mark.parametrize(("letter", "element"), ALL_ELEMENTS)
def test_a_letter_missing_just_one_element_has_just_that_problem(letter, element):
    sections = finished(letter)
    del sections[element.key]

    assert check_letter(letter, sections) == [
        Problem(
            key=element.key,
            message=f"Add {element.label}"
            + (f", or {element.when_none}" if element.when_none else ""),
            provision=element.provision,
            kind=ProblemKind.MISSING,
        )
    ]


@pytest.mark.parametrize(("letter", "element"), ALL_ELEMENTS)
@pytest.mark.parametrize("blank", ["", "   \n\t", None])
def test_a_blank_section_counts_as_missing(letter, element, blank):
    sections = finished(letter) | {element.key: blank}

    (problem,) = check_letter(letter.key, sections)
    assert (problem.key, problem.kind) == (element.key, ProblemKind.MISSING)


@pytest.mark.parametrize(("letter", "element"), ALL_ELEMENTS)
def test_filler_left_in_one_element_is_named_in_the_problem(letter, element):
    sections = finished(letter)
    sections[element.key] += " [check this]"

    assert check_letter(letter, sections) == [
        Problem(
            key=element.key,
            message=f"Replace the filler text '[check this]' in {element.label}",
            provision=element.provision,
            kind=ProblemKind.FILLER,
            filler=("[check this]",),
        )
    ]


@pytest.mark.parametrize("letter", LETTER_TYPES.values(), ids=list(LETTER_TYPES))
def test_a_finished_letter_has_no_problems(letter):
    points = {"points": {1, 2}, "points_answered": {1, 2}} if letter.answers_points else {}
    assert check_letter(letter, finished(letter), **points) == []


@pytest.mark.parametrize("letter", LETTER_TYPES.values(), ids=list(LETTER_TYPES))
def test_an_empty_letter_lists_every_element_at_once_in_order(letter):
    problems = check_letter(letter, {})

    assert [p.key for p in problems] == list(letter.element_keys)
    assert {p.kind for p in problems} == {ProblemKind.MISSING}


# --- the data itself, by hand ------------------------------------------------------------------


def cites(key):
    return [(e.key, e.provision, e.source) for e in LETTER_TYPES[key].elements]


def test_there_is_one_letter_type_per_kind_and_stage():
    assert {(t.kind, t.stage) for t in LETTER_TYPES.values()} == {
        (LetterKind.ACKNOWLEDGEMENT, 1),
        (LetterKind.ACKNOWLEDGEMENT, 2),
        (LetterKind.EXTENSION, 1),
        (LetterKind.EXTENSION, 2),
        (LetterKind.NOT_ACCEPTED, 1),
        (LetterKind.ESCALATION_REFUSED, 2),
        (LetterKind.RESPONSE, 1),
        (LetterKind.RESPONSE, 2),
        (LetterKind.ACTIONS_UPDATE, 1),
        (LetterKind.ACTIONS_UPDATE, 2),
        (LetterKind.CLOSURE, 1),
        (LetterKind.CLOSURE, 2),
        (LetterKind.FREE, None),
    }
    assert len(LETTER_TYPES) == 13
    assert all(key == t.key for key, t in LETTER_TYPES.items())


def test_a_stage_1_response_has_the_six_elements_of_6_9_and_goes_on_to_stage_2():
    assert LETTER_TYPES["stage1_response"].provision == "6.9"
    assert cites("stage1_response") == [
        ("stage", "6.9", Source.RECORD),
        ("complaint_definition", "6.9", Source.RECORD),
        ("decisions", "6.9", Source.RECORD),
        ("remedy", "6.9", Source.RECORD),
        ("outstanding_actions", "6.9", Source.RECORD),
        ("escalate_to_stage2", "6.9", Source.FIXED),
    ]
    assert LETTER_TYPES["stage1_response"].element("decisions").per_point


def test_a_stage_2_response_requires_the_ombudsman_route_under_6_19():
    letter = LETTER_TYPES["stage2_response"]
    assert letter.element("escalate_to_ombudsman").provision == "6.19"
    assert "escalate_to_stage2" not in letter.element_keys
    assert cites("stage2_response") == [
        ("stage", "6.19", Source.RECORD),
        ("complaint_definition", "6.19", Source.RECORD),
        ("decisions", "6.19", Source.RECORD),
        ("remedy", "6.19", Source.RECORD),
        ("outstanding_actions", "6.19", Source.RECORD),
        ("escalate_to_ombudsman", "6.19", Source.FIXED),
    ]


def test_a_stage_2_response_without_the_ombudsman_route_is_refused():
    sections = finished(LETTER_TYPES["stage2_response"])
    del sections["escalate_to_ombudsman"]

    (problem,) = check_letter("stage2_response", sections)
    assert problem.message == (
        "Add the details of how to refer the complaint to the Housing Ombudsman"
    )
    assert problem.provision == "6.19"


def test_a_stage_1_extension_cites_6_4_and_6_5():
    assert LETTER_TYPES["stage1_extension"].provision == "6.4"
    assert cites("stage1_extension") == [
        ("reasons", "6.4", Source.HANDLER),
        ("new_response_date", "6.4", Source.RECORD),
        ("ombudsman_contact_details", "6.5", Source.FIXED),
    ]


def test_a_stage_2_extension_cites_6_15_and_6_16_not_the_stage_1_provisions():
    assert LETTER_TYPES["stage2_extension"].provision == "6.15"
    assert cites("stage2_extension") == [
        ("reasons", "6.15", Source.HANDLER),
        ("new_response_date", "6.15", Source.RECORD),
        ("ombudsman_contact_details", "6.16", Source.FIXED),
    ]
    provisions = {e.provision for e in LETTER_TYPES["stage2_extension"].elements}
    assert provisions.isdisjoint({"6.4", "6.5"})


@pytest.mark.parametrize(("stage", "ack", "respond"), [(1, "6.2", "6.3"), (2, "6.11", "6.14")])
def test_an_acknowledgement_defines_the_complaint_and_gives_the_response_date(stage, ack, respond):
    letter = LETTER_TYPES[f"stage{stage}_acknowledgement"]
    assert letter.provision == ack
    assert cites(letter.key) == [
        ("complaint_definition", "5.6", Source.RECORD),
        ("responsibilities", "5.7", Source.HANDLER),
        ("response_date", respond, Source.RECORD),
    ]
    # The Code asks for the definition and responsibilities; the date is the policy's promise.
    assert [e.good_practice for e in letter.elements] == [False, False, True]


def test_a_complaint_not_accepted_gives_reasons_and_the_ombudsman_right_under_2_4():
    letter = LETTER_TYPES["not_accepted"]
    assert (letter.stage, letter.provision) == (1, "2.4")
    assert cites("not_accepted") == [
        ("refusal_reason", "2.4", Source.RECORD),
        ("refusal_explanation", "2.4", Source.HANDLER),
        ("ombudsman_right", "2.4", Source.FIXED),
    ]
    assert "take the complaint on" in letter.element("ombudsman_right").label


def test_a_refused_escalation_gives_reasons_under_5_11_and_the_ombudsman_right_under_2_4():
    letter = LETTER_TYPES["escalation_refused"]
    assert (letter.stage, letter.provision) == (2, "5.11")
    assert cites("escalation_refused") == [
        ("refusal_reason", "5.11", Source.RECORD),
        ("refusal_explanation", "5.11", Source.HANDLER),
        ("ombudsman_right", "2.4", Source.FIXED),
    ]
    assert "request for stage 2" in letter.element("refusal_reason").label


def test_updates_on_actions_cite_6_6_or_6_17_and_say_by_when_under_7_3():
    assert cites("stage1_actions_update") == [
        ("action_progress", "6.6", Source.RECORD),
        ("next_steps", "7.3", Source.RECORD),
    ]
    assert cites("stage2_actions_update") == [
        ("action_progress", "6.17", Source.RECORD),
        ("next_steps", "7.3", Source.RECORD),
    ]


def test_a_closure_letter_reports_the_promises_kept_and_the_next_step():
    assert cites("stage1_closure") == [
        ("actions_completed", "7.3", Source.RECORD),
        ("escalate_to_stage2", "6.10", Source.FIXED),
    ]
    assert cites("stage2_closure") == [
        ("actions_completed", "7.3", Source.RECORD),
        ("escalate_to_ombudsman", "3.7", Source.FIXED),
    ]
    assert LETTER_TYPES["stage1_closure"].provision is None


def test_a_free_letter_needs_only_a_body_and_cites_nothing():
    assert cites("free") == [("body", None, Source.HANDLER)]


@pytest.mark.parametrize(
    ("stage", "duty", "expected"),
    [
        (1, "track_actions", "6.6"),
        (2, "track_actions", "6.17"),
        (1, "address_points", "6.7"),
        (2, "address_points", "6.18"),
        (1, "refuse", "2.4"),
        (2, "refuse", "5.11"),
        (1, "escalation_route", "6.10"),
        (2, "escalation_route", "3.7"),
    ],
)
def test_the_provisions_map_holds_the_duties_letters_added(stage, duty, expected):
    assert provision(stage, duty) == expected


# --- messages, by hand -------------------------------------------------------------------------


def test_an_extension_without_its_date_is_told_to_add_the_new_response_date():
    sections = finished(LETTER_TYPES["stage1_extension"])
    del sections["new_response_date"]

    (problem,) = check_letter("stage1_extension", sections)
    assert problem.message == "Add the new response date"
    assert problem.provision == "6.4"
    assert problem.as_error_summary_item() == {
        "text": "Add the new response date",
        "href": "#new_response_date",
    }


def test_filler_in_the_reasons_for_an_extension_is_quoted_back():
    sections = finished(LETTER_TYPES["stage2_extension"])
    sections["reasons"] = "We need more time because [reason]."

    assert [p.message for p in check_letter("stage2_extension", sections)] == [
        "Replace the filler text '[reason]' in the reasons for the extension"
    ]


def test_a_response_with_nothing_to_offer_is_told_to_say_so():
    sections = finished(LETTER_TYPES["stage1_response"])
    del sections["remedy"]
    sections["outstanding_actions"] = ""

    assert [p.message for p in check_letter("stage1_response", sections)] == [
        "Add the remedy offered, with what will happen and by when, or say that none is offered",
        "Add the outstanding actions, or say there are none",
    ]


def test_an_empty_stage_1_response_lists_all_six_problems_at_once():
    assert [p.message for p in check_letter("stage1_response", {})] == [
        "Add the stage the complaint is at",
        "Add the complaint definition: each point of the complaint and the outcome sought",
        "Add the decision on each point of the complaint, with reasons",
        "Add the remedy offered, with what will happen and by when, or say that none is offered",
        "Add the outstanding actions, or say there are none",
        "Add the details of how to ask for stage 2",
    ]


# --- filler ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are sorry for [describe the failing].", ["[describe the failing]"]),
        ("We will reply by [date].", ["[date]"]),
        ("TODO: confirm the repair date", ["TODO"]),
        ("Dear Mr XXXX,", ["XXXX"]),
        ("Your appointment is on XX/XX/XXXX.", ["XX", "XXXX"]),  # each distinct piece once
        ("We will reply by {{ new_due }}.", ["{{ new_due }}"]),
        ("{% if remedy %}We will pay you.{% endif %}", ["{% if remedy %}", "{% endif %}"]),
        ("{{ a\n }} spans a line break", ["{{ a\n }}"]),
        ("[first] and [second], then [first] again", ["[first]", "[second]"]),
        # Not filler:
        ("See note [1] below.", []),
        ("Tick the box [ ] if you agree.", []),
        ("A [\nbracket] broken across lines", []),
        ("We kept a todo list of repairs.", []),
        ("TODOS are not the marker, and nor is XXL.", []),
        ("Section X of the lease.", []),
        ("", []),
        (None, []),
    ],
)
def test_what_counts_as_filler(text, expected):
    assert find_filler(text) == expected


def test_the_filler_pattern_is_exported_for_the_template_editor():
    assert FILLER_PATTERN.search("[name]").group() == "[name]"


def test_several_fillers_in_one_section_are_one_problem_naming_them_all_in_order():
    sections = finished(LETTER_TYPES["stage1_response"])
    sections["remedy"] = "We will pay you [amount] by [date]. TODO check the amount."

    (problem,) = check_letter("stage1_response", sections)
    assert problem.message == (
        "Replace the filler text '[amount]', '[date]' and 'TODO' in the remedy offered, "
        "with what will happen and by when"
    )
    assert problem.filler == ("[amount]", "[date]", "TODO")


def test_filler_outside_the_required_sections_is_caught_too_after_them():
    sections = finished(LETTER_TYPES["stage1_extension"]) | {
        "greeting": "Dear [resident name],",
        "sign_off": "Yours sincerely",
        "empty": "",
    }
    del sections["reasons"]

    problems = check_letter("stage1_extension", sections)
    assert [(p.key, p.kind, p.provision) for p in problems] == [
        ("reasons", ProblemKind.MISSING, "6.4"),
        ("greeting", ProblemKind.FILLER, None),
    ]
    assert (
        problems[1].message == "Replace the filler text '[resident name]' in the greeting section"
    )


# --- points with no decision -------------------------------------------------------------------


@pytest.mark.parametrize(("stage", "duty"), [(1, "6.7"), (2, "6.18")])
def test_each_point_with_no_decision_is_its_own_problem(stage, duty):
    letter = LETTER_TYPES[f"stage{stage}_response"]
    sections = finished(letter)

    problems = check_letter(letter, sections, points={3, 1, 2, 10}, points_answered={2})

    assert [(p.field_id, p.message, p.provision) for p in problems] == [
        ("decisions-1", "Add the decision on point 1 of the complaint, with reasons", duty),
        ("decisions-3", "Add the decision on point 3 of the complaint, with reasons", duty),
        ("decisions-10", "Add the decision on point 10 of the complaint, with reasons", duty),
    ]
    assert {(p.key, p.kind) for p in problems} == {("decisions", ProblemKind.UNANSWERED_POINT)}
    assert problems[0].as_error_summary_item()["href"] == "#decisions-1"


def test_unanswered_points_sit_with_the_decisions_in_element_order():
    problems = check_letter(
        "stage1_response",
        {"stage": "Stage 1", "decisions": "[decision]"},
        points=[1, 2],
        points_answered=[2],
    )

    assert [(p.key, p.kind) for p in problems] == [
        ("complaint_definition", ProblemKind.MISSING),
        ("decisions", ProblemKind.FILLER),
        ("decisions", ProblemKind.UNANSWERED_POINT),
        ("remedy", ProblemKind.MISSING),
        ("outstanding_actions", ProblemKind.MISSING),
        ("escalate_to_stage2", ProblemKind.MISSING),
    ]


def test_points_with_no_decisions_given_are_all_unanswered():
    problems = check_letter(
        "stage2_response", finished(LETTER_TYPES["stage2_response"]), points=[1, 2]
    )
    assert [p.point for p in problems] == [1, 2]


def test_every_point_answered_is_no_problem_and_a_decision_on_an_extra_point_is_ignored():
    sections = finished(LETTER_TYPES["stage1_response"])
    assert check_letter("stage1_response", sections, points=[1, 2], points_answered=[1, 2, 3]) == []


def test_points_are_only_for_letters_that_answer_them():
    with pytest.raises(ValueError, match="gives no decisions on points"):
        check_letter("stage1_extension", {}, points={1})
    with pytest.raises(ValueError, match="points_answered needs points"):
        check_letter("stage1_response", {}, points_answered={1})


# --- looking letter types up -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "stage", "key"),
    [
        ("acknowledgement", 1, "stage1_acknowledgement"),
        (LetterKind.EXTENSION, 2, "stage2_extension"),
        ("response", 2, "stage2_response"),
        ("not_accepted", None, "not_accepted"),
        ("not_accepted", 1, "not_accepted"),
        ("escalation_refused", None, "escalation_refused"),
        ("escalation_refused", 2, "escalation_refused"),
        ("closure", 1, "stage1_closure"),
        ("actions_update", 2, "stage2_actions_update"),
        ("free", None, "free"),
    ],
)
def test_a_letter_type_is_found_by_kind_and_stage(kind, stage, key):
    assert letter_type(kind, stage) is LETTER_TYPES[key]


@pytest.mark.parametrize(
    ("kind", "stage", "message"),
    [
        ("not_accepted", 2, "belongs to stage 1, not stage 2"),
        ("escalation_refused", 1, "belongs to stage 2, not stage 1"),
        ("free", 1, "belongs to stage None, not stage 1"),
        ("response", 3, "no response letter at stage 3"),
        ("extension", None, "no extension letter at stage None"),
    ],
)
def test_a_kind_at_a_stage_it_does_not_have_is_an_error(kind, stage, message):
    with pytest.raises(ValueError, match=message):
        letter_type(kind, stage)


def test_an_unknown_kind_or_letter_key_is_an_error():
    with pytest.raises(ValueError):
        letter_type("apology")
    with pytest.raises(ValueError, match="Unknown letter type 'stage3_response'"):
        check_letter("stage3_response", {})


# --- the data cannot be changed or built wrong -------------------------------------------------


def test_the_letter_data_cannot_be_changed():
    with pytest.raises(TypeError):
        LETTER_TYPES["free"] = LETTER_TYPES["stage1_response"]
    with pytest.raises(FrozenInstanceError):
        LETTER_TYPES["stage2_response"].elements[0].provision = "6.9"
    assert isinstance(LETTER_TYPES["stage2_response"].elements, tuple)


@pytest.mark.parametrize("key", ["Reasons", "new-date", "new date", "_x", "x__y", ""])
def test_an_element_key_must_be_snake_case(key):
    with pytest.raises(ValueError, match="snake_case"):
        Element(key, "a label", None, Source.HANDLER)


def test_an_element_needs_a_tidy_label():
    with pytest.raises(ValueError, match="label"):
        Element("reasons", "", None, Source.HANDLER)
    with pytest.raises(ValueError, match="label"):
        Element("reasons", " the reasons", None, Source.HANDLER)


def test_a_letter_type_cannot_repeat_an_element_or_answer_points_twice():
    a = Element("a", "a", None, Source.HANDLER)
    with pytest.raises(ValueError, match="repeats"):
        LetterType("x", LetterKind.FREE, None, "X", None, (a, a))
    p1 = Element("p1", "p1", None, Source.RECORD, per_point=True)
    p2 = Element("p2", "p2", None, Source.RECORD, per_point=True)
    with pytest.raises(ValueError, match="more than one per-point"):
        LetterType("x", LetterKind.RESPONSE, 1, "X", None, (p1, p2))


def test_an_element_is_found_by_key():
    letter = LETTER_TYPES["stage1_extension"]
    assert letter.element("reasons").label == "the reasons for the extension"
    with pytest.raises(KeyError, match="no element 'remedy'"):
        letter.element("remedy")


def test_only_responses_answer_points():
    answering = {t.key for t in LETTER_TYPES.values() if t.answers_points}
    assert answering == {"stage1_response", "stage2_response"}

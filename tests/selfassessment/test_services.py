"""Self-assessment services: starting one (every provision, answers carried from the latest
earlier one), answering a provision and every refusal, what changed since the earlier one, and
the register of exceptional circumstances (Code 8.5), each change in the append-only history."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.core.errors import InvalidInput, StaleVersion, StepRefused
from putright.rules import code as code_module
from putright.rules.code import CODES, ComplaintHandlingCode, Obligation, Provision, Section
from putright.selfassessment import selectors, services
from putright.selfassessment.models import (
    Answer,
    ExceptionalCircumstance,
    SelfAssessment,
    SelfAssessmentEvent,
)
from tests.selfassessment.conftest import annual, answer

pytestmark = pytest.mark.django_db
D = dt.date


def codes(error) -> set[str]:
    return {problem.code for problem in error.value.every()}


# Starting ---------------------------------------------------------------------------------------


def test_an_annual_assessment_has_an_answer_for_every_provision_in_code_order(manager, today):
    assessment = annual(manager, 2025)

    assert assessment.code_version == "2024" and assessment.status == "draft"
    assert assessment.reporting_year == 2025 and assessment.as_at == D(2026, 3, 31)
    assert assessment.title == "Self-assessment 2025-26" and assessment.version == 1
    assert assessment.prepared_by == manager and assessment.carried_from is None
    answers = list(assessment.answers.all())
    assert [a.provision for a in answers] == list(CODES["2024"].numbers())
    assert [a.position for a in answers] == list(range(1, 73))
    assert all(a.comply == "" and a.evidence == "" and a.version == 1 for a in answers)
    event = SelfAssessmentEvent.objects.get(assessment=assessment)
    assert event.action == "assessment_started" and event.actor == manager
    assert (
        event.summary
        == "Self-assessment 2025-26: 72 provisions of the Complaint Handling Code 2024"
    )
    assert event.changes["reporting_year"] == [None, 2025]


def test_one_annual_assessment_per_reporting_year(manager, today):
    annual(manager, 2025)
    with pytest.raises(StepRefused) as error:
        annual(manager, 2025)
    assert error.value.code == "annual_exists" and error.value.field == "reporting_year"
    assert SelfAssessment.objects.count() == 1


@pytest.mark.parametrize(
    ("year", "code"),
    [
        (2023, "reporting_year_before_code"),  # 2023-24 ended before the 2024 Code applied
        (2026, "reporting_year_in_future"),  # 2026-27 starts on 1 April 2026
        (None, "reporting_year_missing"),
    ],
)
def test_an_annual_assessment_needs_a_year_the_code_covers_and_that_has_begun(
    manager, today, year, code
):
    with pytest.raises(StepRefused if year else InvalidInput) as error:
        annual(manager, year)
    assert error.value.code == code
    assert not SelfAssessment.objects.exists()


def test_the_first_year_the_2024_code_covers_is_accepted(manager, today):
    assert annual(manager, 2024).as_at == D(2025, 3, 31)


def test_after_a_restructure_it_says_what_changed_and_its_date(manager, today):
    with pytest.raises(InvalidInput) as error:
        services.assessment_start(acting_user=manager, trigger="restructure", prompted_by=" ")
    assert codes(error) == {"as_at_missing", "prompted_by_missing"}

    assessment = services.assessment_start(
        acting_user=manager,
        trigger="restructure",
        as_at=D(2026, 1, 5),
        prompted_by="Merged with Riverside Homes on 1 January 2026.",
    )
    assert assessment.reporting_year is None and assessment.as_at == D(2026, 1, 5)
    assert assessment.title == "Self-assessment as at 5 January 2026"
    assert assessment.answers.count() == 72


def test_an_ad_hoc_date_is_neither_in_the_future_nor_before_the_code(manager, today):
    for day, expected in (
        (D(2026, 2, 11), "as_at_in_future"),
        (D(2024, 3, 31), "as_at_before_code"),
    ):
        with pytest.raises(InvalidInput if "future" in expected else StepRefused) as error:
            services.assessment_start(
                acting_user=manager, trigger="procedure", as_at=day, prompted_by="New policy."
            )
        assert codes(error) == {expected}


def test_after_an_ombudsman_investigation_it_names_the_case(manager, today, ombudsman_case):
    with pytest.raises(InvalidInput) as error:
        services.assessment_start(acting_user=manager, trigger="ombudsman", as_at=today)
    assert codes(error) == {"ombudsman_case_missing"}

    assessment = services.assessment_start(
        acting_user=manager, trigger="ombudsman", as_at=today, ombudsman_case=ombudsman_case
    )
    assert assessment.ombudsman_case == ombudsman_case
    assert SelfAssessmentEvent.objects.get().changes["ombudsman_case"] == [None, "202512345"]


def test_only_the_assessment_after_an_investigation_names_a_case(manager, today, ombudsman_case):
    with pytest.raises(InvalidInput) as error:
        services.assessment_start(
            acting_user=manager,
            trigger="annual",
            reporting_year=2025,
            ombudsman_case=ombudsman_case,
        )
    assert codes(error) == {"ombudsman_case_not_expected"}


def test_an_unknown_trigger_or_code_version_is_refused(manager, today):
    with pytest.raises(InvalidInput) as error:
        services.assessment_start(acting_user=manager, trigger="whim", as_at=today)
    assert error.value.code == "trigger_invalid"
    with pytest.raises(InvalidInput) as error:
        services.assessment_start(
            acting_user=manager, trigger="annual", reporting_year=2025, code_version="2030"
        )
    assert error.value.code == "code_version_unknown"


# Carrying answers forward -----------------------------------------------------------------------


def test_last_years_answers_are_carried_forward_as_the_draft(manager, today):
    last_year = annual(manager, 2024)
    answer(manager, last_year, "1.2", evidence="Policy section 2.", commentary="Reviewed May.")
    answer(
        manager,
        last_year,
        "5.10",
        comply="no",
        evidence="Adjustments are noted on paper files.",
        action="Record adjustments in the housing system.",
        action_due_on=D(2025, 9, 30),
    )

    this_year = annual(manager, 2025)

    assert this_year.carried_from == last_year
    carried = {a.provision: a for a in this_year.answers.all()}
    assert (carried["1.2"].comply, carried["1.2"].evidence) == ("yes", "Policy section 2.")
    assert carried["1.2"].commentary == "Reviewed May." and carried["1.2"].version == 1
    assert carried["5.10"].comply == "no"
    assert carried["5.10"].action == "Record adjustments in the housing system."
    assert carried["5.10"].action_due_on == D(2025, 9, 30)
    assert carried["6.1"].comply == ""
    event = SelfAssessmentEvent.objects.filter(assessment=this_year).get()
    assert event.summary.endswith("72 answers carried from Self-assessment 2024-25")
    # The earlier one is untouched.
    assert Answer.objects.get(assessment=last_year, provision="1.2").evidence == "Policy section 2."


def test_the_latest_earlier_assessment_is_the_one_carried(manager, today):
    annual_2024 = annual(manager, 2024)  # as at 31 March 2025
    merger = services.assessment_start(
        acting_user=manager, trigger="restructure", as_at=D(2025, 10, 1), prompted_by="Merger."
    )
    assert merger.carried_from == annual_2024
    answer(manager, merger, "4.1", evidence="New complaints team after the merger.")

    annual_2025 = annual(manager, 2025)  # as at 31 March 2026: after the merger's
    assert annual_2025.carried_from == merger
    assert annual_2025.answers.get(provision="4.1").evidence == (
        "New complaints team after the merger."
    )
    # Back-filling an earlier date starts from what came before that date, not after it.
    earlier = services.assessment_start(
        acting_user=manager, trigger="procedure", as_at=D(2025, 6, 1), prompted_by="New policy."
    )
    assert earlier.carried_from == annual_2024


def test_answers_are_not_carried_across_code_versions(manager, today, monkeypatch):
    """A later Code sits beside the 2024 one; its provision numbers may mean something else."""
    later = ComplaintHandlingCode(
        version="2025",
        title="Complaint Handling Code 2025",
        in_force_from=D(2025, 4, 1),
        sections=(Section(1, "Definition of a complaint"),),
        provisions=(
            Provision("1.1", 1, Obligation.MUST, "A new first provision."),
            Provision("1.2", 1, Obligation.SHOULD, "A changed second one."),
        ),
    )
    monkeypatch.setitem(code_module.CODES, "2025", later)
    under_2024 = annual(manager, 2024)
    answer(manager, under_2024, "1.2", evidence="Policy section 2.")

    under_2025 = services.assessment_start(
        acting_user=manager, trigger="annual", reporting_year=2025, code_version="2025"
    )

    assert under_2025.carried_from is None
    assert [(a.provision, a.comply) for a in under_2025.answers.all()] == [("1.1", ""), ("1.2", "")]
    assert CODES["2024"].numbers()[0] == "1.2"  # the 2024 Code is as it was


# Answering --------------------------------------------------------------------------------------


def test_answering_a_provision_saves_it_and_records_the_change(manager, today):
    assessment = annual(manager, 2025)

    saved = answer(
        manager, assessment, "6.13", evidence="Stage 2 goes to another manager.", commentary=" "
    )

    assert saved.comply == "yes" and saved.evidence == "Stage 2 goes to another manager."
    assert saved.version == 2
    assessment.refresh_from_db()
    assert assessment.version == 2
    event = SelfAssessmentEvent.objects.get(action="provision_answered")
    assert event.provision == "6.13" and event.assessment == assessment
    assert event.changes == {
        "comply": ["", "yes"],
        "evidence": ["", "Stage 2 goes to another manager."],
    }
    assert event.summary == "Self-assessment 2025-26, provision 6.13"


def test_no_needs_an_action_and_a_date(manager, today):
    assessment = annual(manager, 2025)

    with pytest.raises(InvalidInput) as error:
        answer(manager, assessment, "5.10", comply="no", action=" ", action_due_on=None)

    assert codes(error) == {"action_missing", "action_due_on_missing"}
    assert {p.field for p in error.value.every()} == {"action", "action_due_on"}
    assert "comply with 5.10" in error.value.message
    assert assessment.answers.get(provision="5.10").comply == ""
    assert not SelfAssessmentEvent.objects.filter(action="provision_answered").exists()


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"action": "Record adjustments."}, "action_due_on_missing"),
        ({"action_due_on": D(2026, 6, 30)}, "action_missing"),
    ],
)
def test_no_with_only_one_of_action_and_date_is_refused(manager, today, fields, missing):
    assessment = annual(manager, 2025)
    with pytest.raises(InvalidInput) as error:
        answer(manager, assessment, "5.10", comply="no", **fields)
    assert codes(error) == {missing}


def test_no_with_an_action_and_a_date_is_saved_and_a_later_yes_drops_them(manager, today):
    assessment = annual(manager, 2025)
    saved = answer(
        manager,
        assessment,
        "5.10",
        comply="no",
        action="Record adjustments in the housing system.",
        action_due_on=D(2026, 6, 30),
    )
    assert (saved.comply, saved.action_due_on) == ("no", D(2026, 6, 30))

    saved = answer(
        manager,
        assessment,
        "5.10",
        comply="yes",
        action="Left over from before.",
        action_due_on=D(2026, 6, 30),
    )
    assert (saved.comply, saved.action, saved.action_due_on) == ("yes", "", None)


def test_an_unknown_provision_is_refused(manager, today):
    assessment = annual(manager, 2025)
    for number in ("1.1", "6.21", "10.1", ""):
        with pytest.raises(InvalidInput) as error:
            services.provision_answer(
                acting_user=manager,
                assessment=assessment,
                provision=number,
                comply="yes",
                expected_version=1,
            )
        assert error.value.code == "provision_unknown"


def test_an_answer_other_than_yes_no_or_blank_is_refused(manager, today):
    assessment = annual(manager, 2025)
    with pytest.raises(InvalidInput) as error:
        answer(manager, assessment, "1.2", comply="partly")
    assert codes(error) == {"comply_invalid"}


def test_a_stale_version_is_a_conflict_and_saves_nothing(manager, today):
    assessment = annual(manager, 2025)
    answer(manager, assessment, "1.2", evidence="Saved first.")  # version 1 -> 2

    with pytest.raises(StaleVersion) as error:
        answer(manager, assessment, "1.2", evidence="Typed second.", expected_version=1)

    assert error.value.code == "stale_version" and error.value.kind == "conflict"
    assert error.value.context == {"expected": 1, "actual": 2}
    assert assessment.answers.get(provision="1.2").evidence == "Saved first."
    assert SelfAssessmentEvent.objects.filter(action="provision_answered").count() == 1


def test_answers_to_other_provisions_do_not_conflict(manager, today):
    assessment = annual(manager, 2025)
    answer(manager, assessment, "1.2", evidence="One.", expected_version=1)
    answer(manager, assessment, "1.3", evidence="Two.", expected_version=1)
    assessment.refresh_from_db()
    assert assessment.version == 3


def test_saving_the_same_answer_again_changes_nothing(manager, today):
    assessment = annual(manager, 2025)
    answer(manager, assessment, "1.2", evidence="Policy.")
    again = answer(manager, assessment, "1.2", evidence="Policy. ")
    assert again.version == 2
    assert SelfAssessmentEvent.objects.filter(action="provision_answered").count() == 1


def test_text_longer_than_the_limits_is_refused(manager, today):
    assessment = annual(manager, 2025)
    with pytest.raises(InvalidInput) as error:
        answer(manager, assessment, "1.2", evidence="x" * 10_001, commentary="y" * 5_001)
    assert codes(error) == {"evidence_too_long", "commentary_too_long"}


def test_history_cannot_be_rewritten(manager, today):
    annual(manager, 2025)
    event = SelfAssessmentEvent.objects.get()
    event.summary = "Something else"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


# What changed since the earlier assessment ------------------------------------------------------


def test_changes_since_the_assessment_carried_from(manager, today):
    last_year = annual(manager, 2024)
    answer(manager, last_year, "1.2", evidence="Policy section 2.")
    answer(manager, last_year, "1.3", evidence="Policy section 3.")
    this_year = annual(manager, 2025)
    answer(manager, this_year, "1.3", evidence="Policy section 3, reworded.", commentary="New.")
    answer(
        manager,
        this_year,
        "1.4",
        comply="no",
        action="Write the service request section.",
        action_due_on=D(2026, 5, 1),
    )
    # A provision the earlier assessment had no answer to.
    Answer.objects.filter(assessment=last_year, provision="9.8").delete()

    changes = selectors.changes_since_carried(this_year)

    assert len(changes) == 72
    assert changes["1.2"] == selectors.Change("unchanged")
    assert changes["1.3"] == selectors.Change("changed", ("evidence", "commentary"))
    assert changes["1.3"].description == (
        "Changed since the last self-assessment: evidence and commentary"
    )
    assert changes["1.4"] == selectors.Change("changed", ("comply", "action", "action_due_on"))
    assert changes["9.8"] == selectors.Change("new")
    assert not changes["1.2"].changed and changes["9.8"].changed


def test_nothing_is_compared_for_the_first_assessment(manager, today):
    assert selectors.changes_since_carried(annual(manager, 2024)) == {}


# Exceptional circumstances ----------------------------------------------------------------------


def circumstance(manager, **overrides) -> ExceptionalCircumstance:
    fields = {
        "acting_user": manager,
        "title": "Cyber incident",
        "what_happened": "Our housing system was taken offline by a cyber attack.",
        "provisions": ["6.3", "6.2", "5.12"],
        "started_on": D(2026, 2, 2),
        "expected_return_on": D(2026, 3, 16),
        "public_notice": "Our systems are down, so replies to complaints will be late.",
        **overrides,
    }
    return services.circumstance_record(**fields)


def test_recording_exceptional_circumstances(manager, today):
    recorded = circumstance(manager, ombudsman_informed_on=D(2026, 2, 3))

    assert recorded.provisions == ["5.12", "6.2", "6.3"]  # in the Code's order
    assert recorded.code_version == "2024" and recorded.version == 1
    assert recorded.recorded_by == manager and recorded.reference == f"EC{recorded.pk:03d}"
    event = SelfAssessmentEvent.objects.get(circumstance=recorded)
    assert event.action == "circumstance_recorded"
    assert event.changes["provisions"] == [None, ["5.12", "6.2", "6.3"]]
    assert event.changes["ombudsman_informed_on"] == [None, "2026-02-03"]


def test_exceptional_circumstances_need_what_happened_the_provisions_and_dates(manager, today):
    with pytest.raises(InvalidInput) as error:
        services.circumstance_record(
            acting_user=manager,
            title="",
            what_happened="",
            provisions=[],
            started_on=None,
            expected_return_on=None,
            public_notice="",
        )
    assert codes(error) == {
        "title_missing",
        "what_happened_missing",
        "public_notice_missing",
        "provisions_missing",
        "started_on_missing",
        "expected_return_on_missing",
    }


def test_exceptional_circumstances_name_provisions_of_the_code(manager, today):
    with pytest.raises(InvalidInput) as error:
        circumstance(manager, provisions=["6.2", "6.21"])
    assert codes(error) == {"provisions_unknown"}
    assert "6.21" in error.value.message


def test_exceptional_circumstances_dates_make_sense(manager, today):
    with pytest.raises(InvalidInput) as error:
        circumstance(
            manager,
            started_on=D(2026, 2, 2),
            expected_return_on=D(2026, 2, 1),
            ended_on=D(2026, 2, 1),
            residents_informed_on=D(2026, 2, 11),
        )
    assert codes(error) == {
        "expected_return_before_start",
        "ended_before_start",
        "residents_informed_on_in_future",
    }
    with pytest.raises(InvalidInput) as error:
        circumstance(manager, started_on=D(2026, 2, 11), expected_return_on=D(2026, 3, 1))
    assert codes(error) == {"started_on_in_future"}


def test_changing_exceptional_circumstances_checks_the_version(manager, today):
    recorded = circumstance(manager)

    changed = services.circumstance_update(
        acting_user=manager,
        circumstance=recorded,
        expected_version=1,
        residents_informed_on=D(2026, 2, 4),
        ended_on=D(2026, 2, 9),
    )

    assert changed.version == 2 and changed.ended_on == D(2026, 2, 9)
    event = SelfAssessmentEvent.objects.get(action="circumstance_changed")
    assert event.changes == {
        "residents_informed_on": [None, "2026-02-04"],
        "ended_on": [None, "2026-02-09"],
    }
    with pytest.raises(StaleVersion):
        services.circumstance_update(
            acting_user=manager, circumstance=recorded, expected_version=1, title="Other"
        )
    recorded.refresh_from_db()
    assert recorded.title == "Cyber incident"


def test_a_change_is_checked_as_a_whole(manager, today):
    recorded = circumstance(manager)
    with pytest.raises(InvalidInput) as error:
        services.circumstance_update(
            acting_user=manager, circumstance=recorded, expected_version=1, ended_on=D(2026, 1, 1)
        )
    assert codes(error) == {"ended_before_start"}
    with pytest.raises(TypeError):
        services.circumstance_update(
            acting_user=manager, circumstance=recorded, expected_version=1, recorded_by=manager
        )


def test_running_means_started_and_not_yet_ended(manager, today):
    running = circumstance(manager, title="Running")
    circumstance(manager, title="Ended", ended_on=D(2026, 2, 10))  # back to normal today
    circumstance(manager, title="Ended yesterday", ended_on=D(2026, 2, 9))

    assert [c.title for c in selectors.running_circumstances()] == ["Running"]
    assert [c.title for c in selectors.running_circumstances(D(2026, 2, 9))] == [
        "Running",
        "Ended",
    ]
    assert list(selectors.running_circumstances(D(2026, 2, 1))) == []
    assert running.is_running_on(today) and not running.is_running_on(D(2026, 2, 1))

"""Evidence from the record (issue 23, part 3): each evidenced provision's figure for 2025-26
against a small landlord worked by hand, the refusal of a "yes" that does not address a breach
(through the service and the form), and the page's bounded queries.

The landlord is ``tests.reporting.conftest.landlord`` (its docstring works every figure): for
2025-26, stage 1 acknowledged A, B, C, D (B late); responded A (upheld), B (not upheld, after an
extension notified 24 April with the Ombudsman's details), C (partly upheld, late); B escalated
and answered at stage 2 (partly upheld) by a reviewer not involved at stage 1; E not accepted
(standing, with reasons and Ombudsman rights), F's refusal reversed. Each test adds by hand what
its provision needs and says so. Today is 1 June 2026, after the year.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from putright.complaints import services as complaint_services
from putright.complaints.models import (
    Action,
    Channel,
    Complaint,
    ComplaintEvent,
    Extension,
    Point,
    Refusal,
    Remedy,
    Stage,
)
from putright.contacts.models import ServiceRequest
from putright.core.errors import StepRefused
from putright.letters.models import IssuedLetter
from putright.people.models import Tenure
from putright.reporting.models import Edition
from putright.reporting.periods import reporting_year
from putright.selfassessment import evidence as ev
from putright.selfassessment import services
from putright.selfassessment.models import Answer
from tests.complaints.conftest import officer, sign_off_required  # noqa: F401  (fixtures)
from tests.people.factories import AdjustmentFactory, ResidentFactory, RestrictionFactory
from tests.reporting.conftest import (  # noqa: F401  (fixtures)
    _acknowledge,
    _log,
    _refuse,
    _respond,
    beside_complaints,
    landlord,
)
from tests.selfassessment.conftest import annual

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 6, 1)
GENERAL = Tenure.LCRA_GENERAL_NEEDS


@pytest.fixture(autouse=True)
def after_the_year(set_today):
    """Today is 1 June 2026: 2025-26 has ended (its quarters too)."""
    return set_today(TODAY)


@pytest.fixture
def complaints(landlord):  # noqa: F811  (the imported fixture)
    """The landlord's complaints A to G."""
    return landlord


@pytest.fixture
def staff(officer):  # noqa: F811  (the imported fixture)
    """The officer who handled the landlord's complaints at stage 1."""
    return officer


@pytest.fixture
def year(complaints):
    return reporting_year(2025)


def drill(key: str, year: int = 2025) -> str:
    return reverse("reporting:drill", args=[year, key])


def urls(evidence: ev.Evidence) -> list[str]:
    return [link.url for link in evidence.links]


# --- Section 6, from the complaints as it is ------------------------------------------------------


def test_6_2_one_of_four_stage_1_acknowledgements_late_is_a_breach(year):
    found = ev.acknowledged_stage1(year)
    assert (found.numerator, found.denominator, found.breach_count) == (3, 4, 1)
    assert found.breach
    assert found.statement == (
        "3 of 4 stage 1 complaints acknowledged in 2025-26 were acknowledged within 5 working "
        "days; 1 late."
    )
    assert urls(found) == [drill("stage1.acknowledged.late"), drill("stage1.acknowledged")]


def test_6_11_the_stage_2_acknowledgement_on_time_is_no_breach(year):
    found = ev.acknowledged_stage2(year)
    assert (found.numerator, found.denominator, found.breach) == (1, 1, False)


def test_6_3_and_6_14_late_responses(year):
    stage1, stage2 = ev.responded_stage1(year), ev.responded_stage2(year)
    # A on time, B within its extension, C late.
    assert (stage1.numerator, stage1.denominator, stage1.breach_count) == (2, 3, 1)
    assert "2 of 3 stage 1 responses in 2025-26 were within" in stage1.statement
    assert drill("stage1.responded.late") in urls(stage1)
    assert (stage2.numerator, stage2.denominator, stage2.breach) == (1, 1, False)


def test_6_4_and_6_5_the_extension_within_the_cap_with_the_ombudsmans_details(year):
    caps, details = ev.extensions_stage1(year), ev.extension_ombudsman_stage1(year)
    assert (caps.numerator, caps.denominator, caps.breach) == (1, 1, False)
    assert (details.numerator, details.denominator, details.breach) == (1, 1, False)
    assert urls(caps) == [drill("stage1.responded.after_extension")]
    assert ev.extensions_stage2(year).denominator == 0
    assert ev.extension_ombudsman_stage2(year).statement == (
        "No stage 2 response was extended in 2025-26."
    )


def test_6_4_and_6_5_an_extension_past_the_cap_without_the_ombudsmans_details(year, complaints):
    # The engine refuses both, so the record is changed by hand, as an import might have it.
    Extension.objects.filter(stage__complaint=complaints["B"]).update(
        new_due=D(2025, 6, 30), ombudsman_details_given=False
    )
    assert ev.extensions_stage1(year).breach_count == 1
    assert ev.extension_ombudsman_stage1(year).breach_count == 1
    assert ev.extension_ombudsman_stage1(year).statement.endswith("; 1 without.")


def test_6_7_and_6_18_every_point_decided_until_a_point_has_none(year, complaints):
    assert (
        ev.points_decided_stage1(year).numerator,
        ev.points_decided_stage1(year).denominator,
    ) == (3, 3)
    assert ev.points_decided_stage2(year).denominator == 1
    assert not ev.points_decided_stage1(year).breach
    c1 = Stage.objects.get(complaint=complaints["C"], number=1)
    Point.objects.create(
        stage=c1, number=2, summary="Rude call", outcome_sought="Apology", added_on=D(2025, 6, 20)
    )
    found = ev.points_decided_stage1(year)
    assert (found.numerator, found.denominator, found.breach_count) == (3, 4, 1)


def test_6_9_and_6_19_responses_with_letters_issued_through_putright(year, complaints):
    found = ev.letters_stage1(year)
    assert (found.numerator, found.denominator, found.breach) == (0, 3, False)
    assert not found.recorded
    IssuedLetter.objects.create(
        complaint=complaints["A"],
        stage_number=1,
        type_key="stage1_response",
        heading="Our response",
        dated=D(2025, 4, 14),
        sections={},
        recipient={},
        sender={},
        delivery="email",
    )
    found = ev.letters_stage1(year)
    assert (found.numerator, found.denominator, found.breach) == (1, 3, False)
    assert "2 were recorded without a letter issued here" in found.statement
    assert ev.letters_stage2(year).numerator == 0


def test_6_13_stage_2_by_someone_not_involved_at_stage_1(year):
    found = ev.stage2_independent(year)
    assert (found.numerator, found.denominator, found.breach) == (1, 1, False)
    assert urls(found) == [drill("stage2.responded")]


def test_6_13_stage_2_signed_off_by_the_stage_1_handler_is_a_breach(year, complaints, staff):
    Stage.objects.filter(complaint=complaints["B"], number=2).update(signed_off_by=staff)
    found = ev.stage2_independent(year)
    assert (found.numerator, found.denominator, found.breach_count) == (0, 1, 1)


def test_6_13_a_stage_2_draft_by_the_stage_1_responder_is_a_breach(year, complaints, staff):
    ComplaintEvent.objects.create(
        complaint=complaints["B"],
        stage_number=2,
        action=ComplaintEvent.Action.DRAFTED,
        actor=staff,
        happened_on=D(2025, 5, 20),
    )
    assert ev.stage2_independent(year).breach_count == 1


def test_6_6_and_6_17_actions_tracked_to_completion(year, complaints):
    a1 = Stage.objects.get(complaint=complaints["A"], number=1)

    def action(due: dt.date, done: dt.date | None = None) -> None:
        Action.objects.create(
            stage=a1,
            complaint=complaints["A"],
            description="Fix the gutter",
            due_on=due,
            status="done" if done else "open",
            completed_on=done,
        )

    action(D(2025, 5, 1), D(2025, 4, 30))  # done on time
    action(D(2025, 5, 1), D(2025, 5, 10))  # done late
    action(D(2026, 5, 1))  # open past its date on 1 June 2026
    action(D(2026, 7, 1))  # open, not yet due
    found = ev.actions_stage1(year)
    assert (found.numerator, found.denominator, found.breach_count) == (3, 4, 1)
    assert found.statement == (
        "4 outstanding actions promised in the stage 1 responses of 2025-26: 2 done (1 after "
        "its date), 1 open and not yet due, 1 open past its date on 1 June 2026."
    )
    assert urls(found) == [reverse("tracking:overdue")]
    assert ev.actions_stage2(year).denominator == 0


# --- Sections 2, 3 and 7, from the complaints and what each test adds -----------------------------


def test_2_1_and_2_4_the_standing_refusal_has_reasons_and_ombudsman_rights(year, complaints):
    found = ev.refusals_with_reasons(year)
    # E stands; F was reversed, so is not counted.
    assert (found.numerator, found.denominator, found.breach) == (1, 1, False)
    assert found.provisions == ("2.1", "2.4")
    assert urls(found) == [drill("not_accepted")]
    Refusal.objects.filter(complaint=complaints["E"]).update(ombudsman_rights_given=False)
    assert ev.refusals_with_reasons(year).breach_count == 1


def test_5_11_no_escalation_refused(year):
    found = ev.escalation_refusals_with_reasons(year)
    assert (found.denominator, found.breach) == (0, False)
    assert found.statement == "No stage 2 requests refused in 2025-26."


def test_2_3_complaints_outside_12_months_with_discretion(year, staff):
    for note in ("The resident was in hospital for most of the year.", "Reason kept"):
        complaint_services.complaint_log(
            acting_user=staff,
            complainant=ResidentFactory(),
            received_at=timezone.make_aware(dt.datetime(2025, 10, 1, 10)),
            channel=Channel.PHONE,
            description="Damp since 2023.",
            issue_date=D(2023, 6, 1),
            discretion_note=note,
            handler=staff,
        )
    # One loses its note, as an import might have it.
    Complaint.objects.filter(discretion_note="Reason kept").update(discretion_note="")
    found = ev.outside_time_limit_discretion(year)
    assert (found.numerator, found.denominator, found.breach_count) == (1, 2, 1)


def test_2_5_two_refusals_the_same_day_in_the_same_words_look_like_a_blanket_exclusion(
    year,
    staff,
):
    for _ in range(2):
        complaint = _log(staff, D(2025, 11, 3), GENERAL)
        _refuse(staff, complaint, D(2025, 11, 4))
    found = ev.no_bulk_refusals(year)
    # E (5 August) alone; the two of 4 November share their words.
    assert found.breach_count == 2
    assert found.statement == (
        "3 refusals to accept or escalate in 2025-26, each made for one complaint; 2 share "
        "their day and their explanation word for word with another."
    )


def test_2_5_no_refusals_alike(year):
    assert ev.no_bulk_refusals(year).breach_count == 0


def test_3_1_the_channels_complaints_arrived_by(year):
    found = ev.channels_in_use(year)
    # B by email, F by web form, C, D and G by phone.
    assert found.statement == (
        "5 stage 1 complaints received in 2025-26 by 3 channels: phone 3, email 1, web form 1."
    )
    assert not found.breach
    assert urls(found) == [
        drill("channels.phone"),
        drill("channels.email"),
        drill("channels.web_form"),
    ]


def test_7_1_upheld_responses_without_a_remedy(year, complaints):
    # A (upheld), C (partly upheld) and B at stage 2 (partly upheld): none with a remedy.
    assert ev.remedies_by_kind(year).breach_count == 3
    a1 = Stage.objects.get(complaint=complaints["A"], number=1)
    c1 = Stage.objects.get(complaint=complaints["C"], number=1)
    Remedy.objects.create(stage=a1, kind="apology", description="We apologise.")
    Remedy.objects.create(stage=c1, kind="apology", description="We apologise.")
    Remedy.objects.create(
        stage=c1, kind="compensation", description="For the delay.", amount_pence=5000
    )
    found = ev.remedies_by_kind(year)
    assert (found.numerator, found.denominator, found.breach_count) == (2, 3, 1)
    assert found.statement == (
        "3 remedies recorded in the responses of 2025-26: apology 2, financial remedy 1. 2 of 3 "
        "responses upholding a complaint in whole or part recorded a remedy; 1 did not. 0 "
        "compensation payments made, £0.00 in all."
    )
    assert reverse("redress:register") in urls(found)


# --- Section 1 and 5: records beside complaints ---------------------------------------------------


def test_1_4_service_requests_that_became_complaints_are_reviewed(year, complaints):
    def request(opened: dt.date, reference: str | None = None, reviewed: bool = False):
        return ServiceRequest.objects.create(
            external_reference=reference,
            source="phone",
            category="repairs",
            description="Gutter",
            opened_on=opened,
            target_on=opened + dt.timedelta(days=20),
            reviewed_on=opened + dt.timedelta(days=30) if reviewed else None,
            review_note="Handled well." if reviewed else "",
        )

    request(D(2025, 5, 1), reviewed=True).complaints.add(complaints["C"])  # linked, reviewed
    request(D(2025, 5, 2)).complaints.add(complaints["B"])  # linked, not reviewed
    request(D(2025, 5, 3))  # never a complaint
    request(D(2025, 5, 4), "JOB-5", reviewed=True)  # named by D's reference, reviewed
    Complaint.objects.filter(pk=complaints["D"].pk).update(service_request_reference="job-5")
    request(D(2025, 3, 1)).complaints.add(complaints["A"])  # 2024-25: not counted
    found = ev.service_requests_reviewed(year)
    assert (found.numerator, found.denominator, found.breach_count) == (2, 3, 1)
    assert found.statement == (
        "4 service requests opened in 2025-26; 3 became complaints, of which 2 were reviewed "
        "and 1 was not."
    )
    assert urls(found) == [
        reverse("contacts:service-requests") + "?became_complaint=on&not_reviewed=on"
    ]


def test_1_4_no_service_requests_kept_is_said_not_counted(year):
    found = ev.service_requests_reviewed(year)
    assert not found.recorded and not found.breach
    assert found.statement.startswith("PutRight holds no service requests for 2025-26")


def test_1_6_survey_follow_ups_not_yet_done(year, beside_complaints):  # noqa: F811
    found = ev.surveys_offer_choice(year)
    # 5 sent, 4 responses; 3 follow-ups, 1 done offering the choice, 2 still open.
    assert (found.numerator, found.denominator, found.breach_count) == (1, 3, 2)
    assert found.statement == (
        "5 satisfaction surveys sent in 2025-26, 4 responses; 3 follow-ups for a low score or a "
        "dissatisfied comment, 1 offering the choice to complain and 2 not yet done."
    )
    before = ev.surveys_offer_choice(year.year_before())
    assert not before.recorded and not before.breach
    assert "PutRight holds no satisfaction surveys for 2024-25" in before.statement


def test_5_10_adjustments_overdue_for_review(year):
    AdjustmentFactory(agreed_on=D(2025, 1, 6), next_review_on=D(2026, 1, 6))  # overdue 31 Mar
    AdjustmentFactory(agreed_on=D(2025, 5, 1), next_review_on=D(2026, 5, 1))  # not yet due
    AdjustmentFactory(  # ended before the year
        agreed_on=D(2024, 5, 1),
        next_review_on=D(2024, 11, 1),
        is_active=False,
        ended_on=D(2025, 3, 1),
    )
    AdjustmentFactory(  # in force in the year, ended before its review fell due unmet
        agreed_on=D(2025, 4, 1),
        next_review_on=D(2025, 9, 1),
        is_active=False,
        ended_on=D(2025, 12, 1),
    )
    found = ev.adjustments_under_review(year)
    assert (found.numerator, found.denominator, found.breach_count) == (2, 3, 1)
    assert found.statement == (
        "3 reasonable adjustments in force in 2025-26; 1 overdue for review on 31 March 2026."
    )


def test_5_14_and_5_15_restrictions_overdue_for_review(year):
    RestrictionFactory()  # from 16 June 2025, review due 16 September 2025: overdue
    RestrictionFactory(starts_on=D(2025, 7, 1), next_review_on=D(2026, 7, 1))
    RestrictionFactory(starts_on=D(2025, 5, 1), next_review_on=D(2025, 7, 1), ends_on=D(2025, 8, 1))
    found = ev.restrictions_reviewed(year)
    assert found.provisions == ("5.14", "5.15")
    assert (found.numerator, found.denominator, found.breach_count) == (2, 3, 1)


# --- Sections 8 and 9: the reports ----------------------------------------------------------------


def edition(manager, kind: str, year: int, quarter: int = 0, *, published: bool, response=""):
    return Edition.objects.create(
        kind=kind,
        reporting_year=year,
        quarter=quarter,
        status="published" if published else "draft",
        response=response,
        document={} if published else None,
        published_at=timezone.make_aware(dt.datetime(2026, 5, 20, 12)) if published else None,
        published_by=manager if published else None,
    )


def test_8_1_and_8_2_the_year_befores_report_published_with_the_response(year, manager):
    assert not ev.annual_report_published(year).recorded
    edition(manager, "annual", 2024, published=True, response="The board welcomes it.")
    edition(manager, "annual", 2025, published=False)
    found = ev.annual_report_published(year)
    assert not found.breach
    assert found.statement == (
        "The annual report for 2024-25 was published on 20 May 2026 (version 1) with the "
        "governing body's response. The annual report for 2025-26 is a draft, not yet published."
    )


def test_8_1_the_year_befores_report_left_a_draft_is_a_breach(year, manager):
    edition(manager, "annual", 2024, published=False)
    assert ev.annual_report_published(year).breach_count == 1


def test_9_7_quarters_without_a_published_board_report(year, manager):
    assert not ev.board_reports(year).recorded
    edition(manager, "quarter", 2025, 1, published=True)
    edition(manager, "quarter", 2025, 2, published=True)
    edition(manager, "quarter", 2025, 3, published=False)
    found = ev.board_reports(year)
    assert (found.numerator, found.denominator, found.breach_count) == (2, 4, 2)
    assert found.statement == (
        "Board reports published for 2 of the 4 quarters of 2025-26 that have ended; none for "
        "Q3, Q4."
    )


# --- The assessment's period and all its evidence at once -----------------------------------------


def test_every_evidenced_provision_is_in_the_code_and_registered_once():
    from putright.rules.code import CODES

    numbers = [n for group, _ in ev.GROUPS["2024"] for n in group]
    assert len(numbers) == len(set(numbers))
    assert all(number in CODES["2024"] for number in numbers)
    assert set(numbers) >= {
        "1.4", "1.6", "2.1", "2.3", "2.4", "2.5", "3.1", "5.10", "5.14", "5.15", "6.2", "6.3",
        "6.4", "6.5", "6.6", "6.7", "6.9", "6.11", "6.13", "6.14", "6.15", "6.16", "6.17",
        "6.19", "7.1", "8.1", "8.2", "9.7",
    }  # fmt: skip


def test_an_annual_assessment_covers_its_year_and_others_the_12_months_to_their_date(
    manager,
    complaints,
):
    assessment = annual(manager, 2025)
    assert ev.period_of(assessment) == reporting_year(2025)
    other = services.assessment_start(
        acting_user=manager, trigger="procedure", as_at=D(2026, 2, 1), prompted_by="New policy."
    )
    period = ev.period_of(other)
    assert (period.start, period.end, period.label) == (
        D(2025, 2, 2),
        D(2026, 2, 1),
        "the 12 months to 1 February 2026",
    )
    # The complaints lists cover whole reporting years only: no link for these 12 months.
    assert ev.evidence_for(other)["6.2"].links == ()


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_all_the_evidence_in_a_number_of_queries_that_does_not_grow_with_complaints(
    manager,
    complaints,
    staff,
):
    assessment = annual(manager, 2025)
    found = ev.evidence_for(assessment)
    assert set(found) == set(ev.EVIDENCE["2024"])
    first = count_queries(lambda: ev.evidence_for(assessment))
    for on in (D(2025, 10, 6), D(2025, 10, 7), D(2025, 10, 8)):
        complaint = _log(staff, on, GENERAL, Channel.LETTER)
        _acknowledge(staff, complaint, on + dt.timedelta(days=1))
        _respond(staff, complaint, on + dt.timedelta(days=7), "upheld")
    assert count_queries(lambda: ev.evidence_for(assessment)) == first
    assert first <= 34, first


# --- The rule: a "yes" against a breach addresses the figure --------------------------------------


def answer(manager, assessment, provision: str, **fields) -> Answer:
    current = Answer.objects.get(assessment=assessment, provision=provision)
    return services.provision_answer(
        acting_user=manager,
        assessment=assessment,
        provision=provision,
        expected_version=current.version,
        **{"comply": "yes", "evidence": "Acknowledgement letters.", **fields},
    )


@pytest.mark.parametrize(
    "commentary",
    ["", "One acknowledgement was late.", "11 late of 400", "Late: 1.5 days on average"],
)
def test_yes_is_refused_for_a_flagged_provision_unless_the_commentary_gives_the_figure(
    manager,
    complaints,
    commentary,
):
    assessment = annual(manager, 2025)
    with pytest.raises(StepRefused) as refused:
        answer(manager, assessment, "6.2", commentary=commentary)
    error = refused.value
    assert (error.code, error.field) == ("evidence_shows_breach", "commentary")
    assert error.context == {"provision": "6.2", "figure": 1}
    assert "give the figure (1)" in error.message
    saved = Answer.objects.get(assessment=assessment, provision="6.2")
    assert (saved.comply, saved.version) == ("", 1)


def test_yes_is_saved_for_a_flagged_provision_with_commentary_naming_the_figure(
    manager,
    complaints,
):
    assessment = annual(manager, 2025)
    saved = answer(
        manager,
        assessment,
        "6.2",
        commentary="1 acknowledgement (B) was a day late over Easter; the rota now covers it.",
    )
    assert saved.comply == "yes"


def test_no_and_unflagged_and_unevidenced_provisions_are_answered_as_before(
    manager,
    complaints,
):
    assessment = annual(manager, 2025)
    answer(manager, assessment, "6.2", comply="no", action="Cover Easter.", action_due_on=TODAY)
    answer(manager, assessment, "6.2", comply="", commentary="")
    answer(manager, assessment, "6.11")  # stage 2: no breach
    answer(manager, assessment, "1.2")  # not evidenced from the record
    assert Answer.objects.get(assessment=assessment, provision="6.11").comply == "yes"


def test_addresses_figure_reads_the_number_as_a_whole_number():
    assert ev.addresses_figure("12 of 400 were late", 12)
    assert ev.addresses_figure("late (1,200 of them)", 1200)
    assert ev.addresses_figure("late: 1200.", 1200)
    assert not ev.addresses_figure("112 were late", 12)
    assert not ev.addresses_figure("12.5% were late", 12)
    assert not ev.addresses_figure("twelve were late", 12)


# --- The screens ----------------------------------------------------------------------------------


def test_the_assessment_page_shows_the_evidence_flag_and_links_in_bounded_queries(
    client,
    manager,
    complaints,
    staff,
):
    assessment = annual(manager, 2025)
    url = reverse("selfassessment:assessment", args=[assessment.pk])
    client.force_login(manager)
    client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 of 4 stage 1 complaints acknowledged in 2025-26" in page
    assert "Shows a breach" in page
    assert drill("stage1.acknowledged.late") in page
    assert "provisions evidenced from the record for 2025-26" in page
    first = len(captured)
    complaint = _log(staff, D(2025, 10, 6), GENERAL)
    _acknowledge(staff, complaint, D(2025, 10, 7))
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) == first
    assert first <= 44, first


def test_a_board_member_sees_the_evidence_without_links_to_complaints(
    client,
    board,
    manager,
    complaints,
):
    assessment = annual(manager, 2025)
    client.force_login(board)
    page = client.get(reverse("selfassessment:assessment", args=[assessment.pk])).content.decode()
    assert "3 of 4 stage 1 complaints acknowledged in 2025-26" in page
    assert drill("stage1.acknowledged.late") not in page


def test_the_answer_form_shows_the_evidence_and_keeps_what_was_typed_when_refused(
    client,
    manager,
    complaints,
):
    assessment = annual(manager, 2025)
    url = reverse("selfassessment:answer", args=[assessment.pk, "6.2"])
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert "What the record shows" in page and "Shows a breach" in page
    assert "give the figure (1) in it" in page
    response = client.post(
        url,
        {
            "version": "1",
            "comply": "yes",
            "evidence": "Acknowledgement letters, typed here.",
            "commentary": "All fine.",
            "action": "",
            "action_due_on_day": "",
            "action_due_on_month": "",
            "action_due_on_year": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The record shows a breach of 6.2" in page
    assert "Acknowledgement letters, typed here." in page and "All fine." in page
    assert Answer.objects.get(assessment=assessment, provision="6.2").comply == ""

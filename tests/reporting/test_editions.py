"""Report editions: drafts, the landlord's words, concurrency, publishing, versions, small-group
suppression and TP09."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from putright.core.errors import InvalidInput, StaleVersion, StepRefused
from putright.people.models import Tenure
from putright.reporting import contents, editions, services
from putright.reporting.models import Edition, PerceptionSurveyResult, ReportEvent
from putright.reporting.tables import Table
from tests.accounts.helpers import make_staff
from tests.reporting.conftest import _log

pytestmark = pytest.mark.django_db

RESPONSE = {
    "response": "The board accepts the report and asks for faster stage 1 responses.",
    "meeting_on": dt.date(2026, 5, 20),
    "minute": "2026/41",
    "member": "Priya Shah",
}


@pytest.fixture
def manager(set_today):
    set_today(dt.date(2026, 6, 1))
    return make_staff("Complaints manager")


def _annual(manager, year: int = 2024, **words) -> Edition:
    return services.edition_start(
        acting_user=manager, kind=contents.ANNUAL, reporting_year=year, **words
    )


def _respond(who, edition: Edition) -> Edition:
    return services.edition_record_response(
        acting_user=who, edition=edition, expected_revision=edition.revision, **RESPONSE
    )


def _publish(who, edition: Edition) -> Edition:
    edition = _respond(who, edition)
    return services.edition_publish(
        acting_user=who, edition=edition, expected_revision=edition.revision
    )


def _section(document, key: str):
    return next(s for s in document.sections if s.key == key)


def test_one_draft_at_a_time_and_each_version_number_once(manager):
    draft = _annual(manager)
    with pytest.raises(StepRefused) as refused:
        _annual(manager)
    assert refused.value.code == "draft_exists"
    # The database refuses a second version 1 however it is written.
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(kind="annual", reporting_year=2024, version=1, status="published")
    # Packs are apart from the annual report and from each other.
    q1 = services.edition_start(
        acting_user=manager, kind=contents.QUARTER, reporting_year=2024, quarter=1
    )
    q2 = services.edition_start(
        acting_user=manager, kind=contents.QUARTER, reporting_year=2024, quarter=2
    )
    assert (draft.version, q1.version, q2.version) == (1, 1, 1)
    with pytest.raises(InvalidInput):
        services.edition_start(
            acting_user=manager, kind=contents.ANNUAL, reporting_year=2024, quarter=2
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(kind="quarter", reporting_year=2024, quarter=0)


def test_commentary_only_for_the_sections_of_the_kind_and_kept_in_their_order(manager):
    draft = _annual(manager)
    with pytest.raises(InvalidInput) as refused:
        services.edition_save_words(
            acting_user=manager,
            edition=draft,
            foreword="",
            commentary={"volumes": "Not a section", "performance": "Fine"},
            expected_revision=draft.revision,
        )
    assert refused.value.code == "commentary_section_unknown"
    with pytest.raises(InvalidInput) as too_long:
        services.edition_save_words(
            acting_user=manager,
            edition=draft,
            foreword="x" * 5_001,
            commentary={},
            expected_revision=draft.revision,
        )
    assert too_long.value.field == "foreword"

    saved = services.edition_save_words(
        acting_user=manager,
        edition=draft,
        foreword=" Our year. ",
        commentary={"learning": "We changed a lot.", "performance": "Faster.", "tsm": "  "},
        expected_revision=draft.revision,
    )

    assert saved.foreword == "Our year."
    assert list(saved.commentary.items()) == [
        ("performance", "Faster."),  # section order, blank dropped
        ("learning", "We changed a lot."),
    ]
    assert saved.revision == 2
    event = ReportEvent.objects.get(edition=saved, action="words_saved")
    assert event.changes["foreword"] == ["", "Our year."]


def test_a_stale_save_is_refused_and_the_first_save_is_kept(manager):
    draft = _annual(manager)
    other = make_staff("Complaints manager", email="second.manager@example.org")
    seen = draft.revision
    services.edition_save_words(
        acting_user=other,
        edition=draft,
        foreword="First manager's foreword.",
        commentary={"performance": "Theirs."},
        expected_revision=seen,
    )

    with pytest.raises(StaleVersion):
        services.edition_save_words(
            acting_user=manager,
            edition=draft,
            foreword="Second manager's foreword.",
            commentary={},
            expected_revision=seen,
        )
    with pytest.raises(StaleVersion):
        services.edition_record_response(
            acting_user=manager, edition=draft, expected_revision=seen, **RESPONSE
        )

    draft.refresh_from_db()
    assert draft.foreword == "First manager's foreword."
    assert draft.commentary == {"performance": "Theirs."}
    assert draft.response == ""


def test_publishing_freezes_the_figures_and_the_words(manager, landlord, officer):
    draft = _annual(manager, 2025)
    draft = services.edition_save_words(
        acting_user=manager,
        edition=draft,
        foreword="Our year.",
        commentary={"performance": "We answered faster."},
        expected_revision=draft.revision,
    )
    published = _publish(manager, draft)

    assert published.is_published and published.published_by == manager
    assert published.suppression_threshold == 5
    frozen = editions.document_from_json(published.document)
    assert frozen.published_on == dt.date(2026, 6, 1) and frozen.version == 1
    assert _section(frozen, "performance").commentary == "We answered faster."
    assert "Member Responsible for Complaints: Priya Shah." in frozen.governing_body_response
    assert "minute 2026/41" in frozen.governing_body_response
    volumes = _section(frozen, "performance").tables[0]
    assert volumes.rows[0] == ["Stage 1 complaints received", "5", "1"]

    # A complaint logged later for the same year: the frozen copy stays, a new draft moves.
    _log(officer, dt.date(2025, 10, 1), Tenure.LCRA_GENERAL_NEEDS)
    published.refresh_from_db()
    assert editions.document_from_json(published.document) == frozen
    with pytest.raises(StepRefused):
        services.edition_save_words(
            acting_user=manager,
            edition=published,
            foreword="Changed",
            commentary={},
            expected_revision=published.revision,
        )
    with pytest.raises(ValueError):
        published.delete()
    with pytest.raises(ValueError):
        Edition.objects.filter(pk=published.pk).delete()

    second = _annual(manager, 2025, reason="A complaint logged late is now counted.")
    assert second.version == 2 and second.foreword == "Our year."  # words carried over
    moved = editions.draft_document(second)
    assert _section(moved, "performance").tables[0].rows[0][1] == "6"
    assert second.response == RESPONSE["response"]
    second = _publish(manager, second)
    assert second.document["version"] == 2
    assert editions.document_from_json(Edition.objects.get(pk=published.pk).document) == frozen
    actions = list(
        ReportEvent.objects.filter(edition__reporting_year=2025).values_list("action", flat=True)
    )
    assert actions.count("edition_published") == 2


def test_a_new_version_says_why(manager):
    _publish(manager, _annual(manager))
    with pytest.raises(InvalidInput) as refused:
        _annual(manager)
    assert refused.value.field == "reason"
    second = _annual(manager, reason="Corrected the outcomes table.")
    assert (second.version, second.reason) == (2, "Corrected the outcomes table.")


def test_the_annual_report_needs_the_governing_bodys_response_and_a_whole_year(manager, set_today):
    draft = _annual(manager)
    with pytest.raises(StepRefused) as refused:
        services.edition_publish(acting_user=manager, edition=draft, expected_revision=1)
    assert refused.value.code == "response_missing"

    current = _annual(manager, 2026)
    current = _respond(manager, current)
    with pytest.raises(StepRefused) as early:
        services.edition_publish(
            acting_user=manager, edition=current, expected_revision=current.revision
        )
    assert early.value.code == "period_not_over"


def test_small_counts_and_rates_on_small_bases_are_hidden_in_breakdowns():
    table = Table(
        "channels",
        "How complaints arrived",
        ["", "2025-26", "Rate"],
        [
            ["Phone", "0", "0.0%"],
            ["Email", "1", "50.0%"],
            ["Letter", "4", "n/a"],
            ["Web", "5", "10.0%"],
        ],
        "A note.",
    )

    shown = editions.suppress(table, 5)

    assert shown.rows == [
        ["Phone", "0", "withheld"],  # a rate with no known base is withheld
        ["Email", "fewer than 5", "withheld"],
        ["Letter", "fewer than 5", "n/a"],
        ["Web", "5", "withheld"],
    ]
    assert shown.note.startswith("A note. To protect people's privacy, counts from 1 to 4")
    areas = Table(
        "business_areas",
        "Responses by area",
        ["Business area", "Responses", "Within the Code's timescales"],
        [["Repairs", "12", "75.0%"], ["Estates", "3", "66.7%"], ["Total", "2", "50.0%"]],
    )
    assert editions.suppress(areas, 5).rows == [
        ["Repairs", "12", "75.0%"],  # a rate on 12 responses is shown
        ["Estates", "fewer than 5", "withheld"],
        ["Total", "2", "50.0%"],  # totals may stay
    ]
    totals = Table("volumes", "Received", ["", "n"], [["Stage 2 received", "2"]])
    assert editions.suppress(totals, 5) is totals
    assert editions.suppress(table, 1) is table  # threshold 1: nothing hidden


def test_the_threshold_is_a_setting(settings):
    settings.PUTRIGHT_REPORT_SMALL_GROUP_THRESHOLD = 10
    assert editions.threshold() == 10


def test_tp09_satisfied_cannot_exceed_respondents_and_needs_its_method(manager):
    with pytest.raises(InvalidInput) as refused:
        services.perception_result_record(
            acting_user=manager,
            reporting_year=2024,
            lcra_satisfied=81,
            lcra_respondents=80,
            lcho_satisfied=0,
            lcho_respondents=0,
            method_note="",
            expected_revision=None,
        )
    assert {p.field for p in refused.value.every()} == {"lcra_satisfied", "method_note"}
    with pytest.raises(IntegrityError), transaction.atomic():
        PerceptionSurveyResult.objects.create(
            reporting_year=2024,
            lcra_satisfied=3,
            lcra_respondents=2,
            method_note="x",
            entered_by=manager,
        )


def test_tp09_sits_beside_ch01_and_ch02_in_the_document(manager):
    draft = _annual(manager)
    tsm = _section(editions.draft_document(draft), "tsm")
    assert any("TP09" in statement for statement in tsm.statements)

    result = services.perception_result_record(
        acting_user=manager,
        reporting_year=2024,
        lcra_satisfied=50,
        lcra_respondents=80,
        lcho_satisfied=9,
        lcho_respondents=12,
        method_note="Telephone survey by Acme Research, January 2025, 92 respondents.",
        expected_revision=None,
    )
    with pytest.raises(StaleVersion):  # entered again from a form opened before the first save
        services.perception_result_record(
            acting_user=manager,
            reporting_year=2024,
            lcra_satisfied=1,
            lcra_respondents=1,
            lcho_satisfied=0,
            lcho_respondents=0,
            method_note="Other.",
            expected_revision=None,
        )

    tsm = _section(editions.draft_document(draft), "tsm")
    assert [t.key for t in tsm.tables] == ["tsm", "tp09"]
    tp09 = tsm.tables[1]
    assert tp09.rows == [
        [
            "TP09 satisfied with our approach to handling complaints",
            "62.5% (50 of 80)",
            "75.0% (9 of 12)",
        ]
    ]
    assert "Acme Research" in tp09.note
    assert result.revision == 1
    assert ReportEvent.objects.filter(survey_result=result, action="tp09_recorded").exists()

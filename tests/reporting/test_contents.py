"""What the annual report and the board pack hold, in the order Code 8.1 and 9.7 give."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.learning.models import Lesson, LessonStatus
from putright.ombudsman.models import FailureOrder, OmbudsmanCase
from putright.reporting import contents
from putright.reporting.annual import figures
from putright.reporting.periods import quarter, reporting_year

pytestmark = pytest.mark.django_db


def _annual(**words):
    period = reporting_year(2025)
    return contents.build(
        contents.ANNUAL,
        period,
        figures(period),
        figures(period.year_before()),
        landlord="Greenway Homes",
        **words,
    )


def _section(document, key):
    return next(section for section in document.sections if section.key == key)


def test_the_annual_report_follows_code_8_1(landlord):
    document = _annual()

    assert [s.key for s in document.sections] == [
        "self_assessment",  # 8.1 (a)
        "performance",  # 8.1 (b)
        "refused",  # 8.1 (b): the types of complaints refused
        "tsm",
        "remedies",
        "code_compliance",  # 8.1 (c)
        "ombudsman",
        "learning",  # 8.1 (d)
        "ombudsman_reports",  # 8.1 (e) and (f)
    ]
    assert document.title == "Complaints performance and service improvement report 2025-26"
    refused = _section(document, "refused").tables[0]
    assert refused.rows == [["The matter is the subject of legal proceedings", "1", "0"]]
    volumes = _section(document, "performance").tables[0]
    assert volumes.rows[0] == ["Stage 1 complaints received", "5", "1"]


def test_commentary_lands_in_its_section_and_empty_sections_say_so(landlord):
    document = _annual(
        commentary={"performance": "  We answered faster.  ", "unknown": "ignored"},
        foreword="Our year.",
    )

    assert _section(document, "performance").commentary == "We answered faster."
    assert document.foreword == "Our year."
    assert _section(document, "learning").statements == [contents.NOT_RECORDED]
    assert _section(document, "learning").tables == []
    assert _section(document, "code_compliance").statements == [
        "The Housing Ombudsman issued no complaint handling failure order or notice about us "
        "in this period."
    ]
    assert "ignored" not in repr(document)


def test_failure_orders_and_changes_made_in_the_period_are_reported(landlord, officer):
    case = OmbudsmanCase.objects.create(
        reference="202500001", referred_on=dt.date(2025, 5, 1), stage_since=dt.date(2025, 5, 1)
    )
    for issued in (dt.date(2025, 6, 1), dt.date(2025, 9, 1), dt.date(2026, 4, 1)):
        FailureOrder.objects.create(
            case=case, kind=FailureOrder.Kind.ORDER, issued_on=issued, reason="Late."
        )
    FailureOrder.objects.create(
        case=case, kind=FailureOrder.Kind.NOTICE, issued_on=dt.date(2025, 7, 1), reason="Late."
    )
    Lesson.objects.create(
        title="Repairs were booked without access details",
        what_happened="Operatives arrived to locked doors.",
        root_cause=Lesson._meta.get_field("root_cause").choices[0][0],
        learning="Access details must travel with the job.",
        change_made="The job ticket now carries the access notes.",
        identified_on=dt.date(2025, 5, 1),
        done_on=dt.date(2025, 11, 3),
        owner=officer,
        status=LessonStatus.EMBEDDED,
    )

    document = _annual()

    assert _section(document, "code_compliance").statements == [
        "The Housing Ombudsman issued 2 complaint handling failure orders and 1 complaint "
        "handling failure notice about us in this period."
    ]
    learning = _section(document, "learning")
    assert learning.statements == []
    assert learning.tables[0].rows == [
        [
            "Repairs were booked without access details",
            "The job ticket now carries the access notes.",
            "November 2025",
        ]
    ]


def test_the_board_pack_covers_a_quarter_beside_the_same_quarter_a_year_earlier(landlord):
    period = quarter(2025, 1)
    document = contents.build(
        contents.QUARTER,
        period,
        figures(period),
        figures(period.year_before()),
        landlord="Greenway Homes",
    )

    assert document.title == f"Complaints board report {period.label}"
    assert "self_assessment" not in [s.key for s in document.sections]
    volumes = _section(document, "performance").tables[0]
    assert volumes.columns[1:] == [period.label, period.year_before().label]
    ombudsman = _section(document, "ombudsman")
    assert ombudsman.tables[0].rows[0] == ["Determinations", "0", "0"]

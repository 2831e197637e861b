"""``putright import ombudsman-findings``: checked first, all or nothing, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from putright.ombudsman.models import CaseReview, Finding, OmbudsmanCase, OmbudsmanEvent
from tests.ombudsman.conftest import open_case

HEADER = "Ombudsman reference,Decision date,Complaint category,Element,Finding,Complaint reference"


@pytest.fixture
def good_csv(tmp_path, complaint, repairs):
    path = tmp_path / "findings.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                f"202400001,2025-11-20,Test repairs,Repairs to the roof,Maladministration,"
                f"{complaint.reference}",
                "202400001,2025-11-20,Test repairs,Complaint handling,Service failure,",
                "202400002,03/12/2025,,Noise,Outside jurisdiction,",
                "202400002,03/12/2025,,Rent account,No maladministration,",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def run(path, *extra):
    call_command("import", "ombudsman-findings", str(path), *extra)


def test_a_good_file_imports_through_the_services_and_twice_changes_nothing(good_csv, complaint):
    run(good_csv)
    first = OmbudsmanCase.objects.get(reference="202400001")
    assert first.determined_on == dt.date(2025, 11, 20)
    assert list(first.complaints.all()) == [complaint]
    assert Finding.objects.count() == 4
    assert CaseReview.objects.filter(case=first).exists()  # failure found: a review opened
    second = OmbudsmanCase.objects.get(reference="202400002")
    assert second.determined_on == dt.date(2025, 12, 3)
    events = OmbudsmanEvent.objects.count()

    run(good_csv)
    assert OmbudsmanCase.objects.count() == 2
    assert Finding.objects.count() == 4
    assert OmbudsmanEvent.objects.count() == events


def test_a_bad_file_reports_each_row_and_writes_nothing(tmp_path, complaint, repairs, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "202400001,2025-11-20,Test repairs,Roof,Maladministration,",
                "202400001,2025-13-40,Test repairs,Damp,Maladministration,",
                "202400003,2025-11-20,Gardens,Hedges,Partial,C-1999-00001",
                ",2025-11-20,,Noise,Withdrawn,",
                "202400004,2025-11-20,,Noise,Withdrawn,",
                "202400004,2025-11-21,,Rent,Withdrawn,",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        run(path)
    err = capsys.readouterr().err
    assert "Line 3, column 'Decision date'" in err
    assert "Line 4, column 'Complaint category': no category is called 'Gardens'" in err
    assert "Line 4, column 'Finding': 'Partial' is not one of" in err
    assert "Line 4, column 'Complaint reference'" in err
    assert "Line 5, column 'Ombudsman reference'" in err
    assert "Line 6, column 'Decision date': case 202400004 has more than one" in err
    assert "Line 7, column 'Decision date'" in err
    assert OmbudsmanCase.objects.count() == 0

    run(path, "--skip-invalid")
    assert list(OmbudsmanCase.objects.values_list("reference", flat=True)) == ["202400001"]
    assert Finding.objects.get().element == "Roof"


def test_a_missing_column_is_reported_against_the_header(tmp_path, today):
    path = tmp_path / "short.csv"
    path.write_text("Ombudsman reference,Decision date\n202400001,2025-11-20\n")
    with pytest.raises(CommandError):
        run(path)


def test_a_file_disagreeing_with_a_recorded_case_is_refused(tmp_path, manager, complaint):
    open_case(manager, complaint, reference="202400009")  # at enquiry: no determination yet
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "\n202400009,2025-11-20,,Roof,Maladministration,\n")
    with pytest.raises(CommandError):
        run(path)
    assert Finding.objects.count() == 0


def test_an_xlsx_file_is_read_with_real_dates(tmp_path, complaint, repairs):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["202400005", dt.datetime(2025, 10, 2), "Test repairs", "Roof", "Mediation", None])
    path = tmp_path / "findings.xlsx"
    book.save(path)
    run(path)
    case = OmbudsmanCase.objects.get(reference="202400005")
    assert case.determined_on == dt.date(2025, 10, 2)
    assert case.findings.get().outcome == "mediation"

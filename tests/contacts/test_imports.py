"""CSV imports of contacts and survey responses: every row checked, bad rows reported by line,
nothing written unless clean, and the same file imported twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from putright.contacts.imports import contacts_import, surveys_import
from putright.contacts.models import Contact, SatisfactionSurvey, SurveyFollowUp

pytestmark = pytest.mark.django_db

CONTACTS = """reference,received_on,channel,type,answered_on
CRM-1,2026-04-02,email,repair,2026-04-08
CRM-2,2026-04-02,Telephone,Rent and charges,
CRM-3,2026-05-01,letter,general,2026-05-07
"""


def test_contacts_are_imported_with_their_due_dates_and_whether_met(today):
    result = contacts_import(CONTACTS.splitlines(keepends=True))

    assert result.ok and result.created == 3
    rows = {c.external_reference: c for c in Contact.objects.all()}
    assert rows["CRM-1"].due_on == dt.date(2026, 4, 8) and rows["CRM-1"].answered_in_time
    assert rows["CRM-2"].channel == "phone" and rows["CRM-2"].answered_in_time is None
    assert rows["CRM-3"].answered_in_time is False  # due 6 May, after the bank holiday


def test_importing_the_same_contacts_again_changes_nothing(today):
    contacts_import(CONTACTS.splitlines(keepends=True))

    again = contacts_import(CONTACTS.splitlines(keepends=True))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Contact.objects.count() == 3


def test_a_later_file_records_when_a_contact_was_answered(today):
    contacts_import(CONTACTS.splitlines(keepends=True))
    later = CONTACTS.replace("Rent and charges,\n", "Rent and charges,2026-04-07\n")

    result = contacts_import(later.splitlines(keepends=True))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert Contact.objects.get(external_reference="CRM-2").answered_in_time is True


def test_bad_contact_rows_are_reported_by_line_and_nothing_is_written(today):
    bad = (
        "reference,received_on,channel,type,answered_on\n"
        "CRM-1,2026-04-02,email,repair,\n"
        "CRM-2,02/04/2026,email,repair,\n"
        "CRM-3,2026-04-02,pigeon,repair,\n"
        ",2026-04-02,email,repair,\n"
        "CRM-1,2026-04-02,email,repair,\n"
        "CRM-6,2026-04-02,email,repair,2026-04-01\n"
        "CRM-7,2026-06-01,email,repair,\n"
    )

    result = contacts_import(bad.splitlines(keepends=True))

    assert [line for line, _ in result.errors] == [3, 4, 5, 6, 7, 8]
    reasons = dict(result.errors)
    assert "not a date" in reasons[3]
    assert "pigeon" in reasons[4]
    assert reasons[5] == "reference is missing"
    assert "also on line 2" in reasons[6]
    assert "before the date received" in reasons[7]
    assert "future" in reasons[8]
    assert Contact.objects.count() == 0


def test_a_file_without_the_columns_is_refused(today):
    result = contacts_import(["reference,when\n", "CRM-1,2026-04-02\n"])

    assert result.errors == [
        (1, "the header lacks the column(s) received_on, channel, type, answered_on")
    ]


def surveys_csv(complaint) -> str:
    return (
        "reference,complaint,sent_on,score,comment,dissatisfied,responded_on\n"
        f"RR-1,{complaint.reference},2026-05-01,2,Slow,no,2026-05-03\n"
        f"RR-2,{complaint.reference},2026-05-02,4,,,2026-05-04\n"
        f"RR-3,{complaint.reference},2026-05-05,,,,\n"
    )


def test_surveys_are_imported_and_a_low_score_opens_a_follow_up(closed_complaint):
    result = surveys_import(surveys_csv(closed_complaint).splitlines(keepends=True))

    assert result.ok and result.created == 3
    low = SatisfactionSurvey.objects.get(provider_reference="RR-1")
    assert SurveyFollowUp.objects.get().survey == low
    assert SurveyFollowUp.objects.get().opened_on == dt.date(2026, 5, 3)

    again = surveys_import(surveys_csv(closed_complaint).splitlines(keepends=True))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert SatisfactionSurvey.objects.count() == 3


def test_a_later_survey_file_adds_the_response(closed_complaint):
    surveys_import(surveys_csv(closed_complaint).splitlines(keepends=True))
    later = surveys_csv(closed_complaint).replace(
        "2026-05-05,,,,", "2026-05-05,5,Sorted quickly,no,2026-05-06"
    )

    result = surveys_import(later.splitlines(keepends=True))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert SatisfactionSurvey.objects.get(provider_reference="RR-3").score == 5


def test_bad_survey_rows_are_reported_and_nothing_is_written(complaint, closed_complaint):
    bad = (
        "reference,complaint,sent_on,score,comment,dissatisfied,responded_on\n"
        f"RR-1,{closed_complaint.reference},2026-05-01,3,,,2026-05-03\n"
        f"RR-2,{closed_complaint.reference},2026-05-02,9,,,2026-05-04\n"
        f"RR-3,{complaint.reference},2026-05-02,4,,,2026-05-04\n"
        "RR-4,C-2026-99999,2026-05-02,4,,,2026-05-04\n"
        f"RR-5,{closed_complaint.reference},2026-05-03,4,,,\n"
        f"RR-6,{closed_complaint.reference},2026-05-04,4,,maybe,2026-05-05\n"
    )

    result = surveys_import(bad.splitlines(keepends=True))

    reasons = dict(result.errors)
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "from 1 to 5" in reasons[3]
    assert "still open" in reasons[4]
    assert "no complaint" in reasons[5]
    assert "both a score and responded_on" in reasons[6]
    assert "yes or no" in reasons[7]
    assert SatisfactionSurvey.objects.count() == 0


def test_the_commands_report_bad_rows_and_import_clean_files(tmp_path, today, capsys):
    path = tmp_path / "contacts.csv"
    path.write_text(CONTACTS.replace("CRM-3,2026-05-01", "CRM-3,2026-13-01"))
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_contacts", str(path))
    assert "Line 4: received_on '2026-13-01' is not a date" in capsys.readouterr().err
    assert Contact.objects.count() == 0

    path.write_text(CONTACTS)
    call_command("import_contacts", str(path), "--dry-run")
    assert Contact.objects.count() == 0
    call_command("import_contacts", str(path))
    assert "3 new, 0 updated, 0 already recorded" in capsys.readouterr().out
    assert Contact.objects.count() == 3

"""Subject access: a ZIP of everything held about a person, with a readable index, JSON per
record type and the documents themselves, read in a fixed number of queries and recorded."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import stat
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.complaints import services
from putright.core.models import SecurityEvent
from putright.people.models import ResidentEvent
from putright.privacy.services import subject_access_export
from tests.complaints.conftest import at
from tests.people.factories import ResidentFactory
from tests.privacy import records

D = dt.date


@pytest.fixture
def zebedee(officer, set_today, media):
    set_today(D(2026, 3, 31))
    built = records.build_person(officer)
    built.complaints = records.build_complaints(
        officer, built.person, built.home, built.representative
    )
    return built


def unzip(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def data(files: dict[str, bytes], name: str) -> list[dict]:
    return json.loads(files[f"data/{name}.json"])


def test_the_export_holds_everything_about_the_person(zebedee, officer):
    files = unzip(subject_access_export(zebedee.person, acting_user=officer))
    answered = zebedee.complaints[0]
    document = answered.documents.get()
    stored = f"documents/{answered.reference}/{document.pk}-quillfeather-photos.txt"
    assert files[stored] == b"Photographs from Zebedee Quillfeather, QZ9 9ZZ."

    assert data(files, "resident")[0]["email"] == records.EMAIL
    assert data(files, "tenancies")[0]["property"] == "1 Lark Rise, Quillby, QZ1 1QZ"
    assert data(files, "representatives")[0]["name"] == "Quentin Marchbanks"
    assert data(files, "disabilities")[0]["description"].startswith("Zebedee has a lung")
    assert data(files, "equality_data")[0]["age_band"] == "75_plus"
    assert data(files, "restrictions")[0]["reason"] == "Zebedee rang forty times in a day."
    assert {row["reference"] for row in data(files, "complaints")} == {
        complaint.reference for complaint in zebedee.complaints
    }
    assert len(data(files, "stages")) == 5  # two for the complaint answered at stage 2
    assert {row["finding"] for row in data(files, "decisions")} >= {"upheld", "partly_upheld"}
    assert data(files, "remedies")[0]["amount_pence"] == 25000
    assert data(files, "actions")[0]["completion_note"] == "Walls treated for Zebedee."
    assert data(files, "refusals")[0]["explanation"].startswith("Zebedee's neighbour")
    assert data(files, "notes")[0]["text"] == "Called Zebedee."
    assert data(files, "correspondence")[0]["summary"] == "Zebedee sent photographs."
    assert data(files, "documents")[0]["original_name"] == "quillfeather-photos.txt"
    actions = {row["action"] for row in data(files, "complaint_history")}
    assert {"logged", "responded", "escalated", "not_accepted", "withdrawn", "closed"} <= actions
    assert {"resident_created", "tenancy_ended"} <= {
        row["action"] for row in data(files, "resident_history")
    }

    index = files["index.html"].decode()
    for shown in (
        "Zebedee Quillfeather",
        "Zebedee reported it in May and nothing was done.",  # a decision's reasons
        "Zebedee has a lung condition made worse by damp.",  # special category: theirs to see
        "75 or over",
        "Quentin Marchbanks",
        "1 Lark Rise, Quillby, QZ1 1QZ",
        answered.reference,
        "Partly upheld",
        "£250.00",
    ):
        assert shown in index, shown


def test_every_link_in_the_index_opens_something_in_the_archive(zebedee, officer):
    files = unzip(subject_access_export(zebedee.person, acting_user=officer))
    index = files["index.html"].decode()
    assert index.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in index
    assert index.count("<h1>") == 1
    links = re.findall(r'href="([^"#][^"]*)"', index)
    assert any(link.startswith("documents/") for link in links)
    assert all(link in files for link in links)
    targets = re.findall(r'href="#([^"]+)"', index)
    assert targets and all(f'id="{target}"' in index for target in targets)


def test_the_export_is_recorded_in_the_history_and_the_security_log(zebedee, officer):
    subject_access_export(zebedee.person, acting_user=officer)
    event = ResidentEvent.objects.filter(resident=zebedee.person).latest("recorded_at", "id")
    assert (event.action, event.actor, event.summary) == (
        "subject_access_exported",
        officer,
        "Subject access export made",
    )
    assert event.changes == {"complaints": [None, 4], "documents": [None, 1]}
    logged = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT)
    assert (logged.actor, logged.subject) == (officer, "resident T-9911")


def test_the_export_reads_a_fixed_number_of_queries_however_much_there_is(zebedee, officer, log):
    other = ResidentFactory(reference="T-1")
    log(complainant=other, received_at=at(2026, 3, 2))
    with CaptureQueriesContext(connection) as small:
        subject_access_export(other, acting_user=officer)
    with CaptureQueriesContext(connection) as large:
        subject_access_export(zebedee.person, acting_user=officer)
    assert len(large) == len(small)
    assert len(large) < 40


def test_text_from_the_record_is_shown_as_text_never_as_markup(officer, log, set_today):
    set_today(D(2026, 3, 31))
    person = ResidentFactory(last_name="<script>alert(1)</script>")
    log(complainant=person, description='<img src=x onerror="a(2)">', received_at=at(2026, 3, 2))
    index = unzip(subject_access_export(person, acting_user=officer))["index.html"].decode()
    assert "<script>alert" not in index and "<img src=x" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index


def test_a_joint_complaint_is_included_without_the_other_complainant(officer, set_today, media):
    set_today(D(2026, 3, 31))
    lead, joined = ResidentFactory(last_name="Leadbetter"), ResidentFactory(last_name="Joyner")
    complaint = services.complaint_log(
        acting_user=officer,
        complainant=lead,
        other_complainants=[joined],
        channel="letter",
        received_at=at(2026, 3, 2),
        description="The shared drive floods.",
    )
    files = unzip(subject_access_export(joined, acting_user=officer))
    row = data(files, "complaints")[0]
    assert (row["reference"], row["your_part"]) == (complaint.reference, "joint complainant")
    assert "complainant" not in row and "complainant_id" not in row
    assert "Leadbetter" not in files["index.html"].decode()


def test_the_command_writes_the_zip_for_its_owner_only(zebedee, officer, tmp_path):
    output = tmp_path / "t-9911.zip"
    call_command("privacy", "export-subject-access", "T-9911", "--output", str(output))
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert "index.html" in unzip(output.read_bytes())
    event = ResidentEvent.objects.filter(action="subject_access_exported").get()
    assert event.actor_description.startswith("Command line")

    with pytest.raises(CommandError, match="already exists"):
        call_command("privacy", "export-subject-access", "T-9911", "--output", str(output))
    with pytest.raises(CommandError, match="Nobody has the reference"):
        call_command("privacy", "export-subject-access", "T-0000", "--output", str(tmp_path / "x"))
    call_command(
        "privacy",
        "export-subject-access",
        "T-9911",
        "--output",
        str(tmp_path / "by.zip"),
        "--by",
        officer.email,
    )
    assert ResidentEvent.objects.filter(action="subject_access_exported").last().actor == officer

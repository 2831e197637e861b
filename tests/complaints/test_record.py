"""The full record (Code 5.12): correspondence, documents and notes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from putright.complaints import services
from putright.complaints.models import ComplaintEvent, Correspondence, Document, Note
from putright.core.errors import InvalidInput, StaleVersion, StepRefused
from tests.complaints.helpers import D, state

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PUTRIGHT_DOCUMENT_MAX_BYTES = 1024 * 1024
    return tmp_path


@pytest.fixture
def complaint(log):
    return log()


def upload(user, complaint, name, content, **kwargs):
    kwargs.setdefault("kind", Document.Kind.EVIDENCE)
    kwargs.setdefault("on", D(2025, 12, 23))
    return services.document_upload(
        acting_user=user,
        complaint=complaint,
        uploaded_file=SimpleUploadedFile(name, content),
        **kwargs,
    )


def test_a_png_is_kept_with_its_detected_type(media, officer, complaint):
    document = upload(officer, complaint, "damp.png", PNG, kind=Document.Kind.PHOTO)
    document.refresh_from_db()
    assert document.original_name == "damp.png"
    assert document.content_type == "image/png"
    assert document.size == len(PNG)
    assert document.kind == "photo"
    assert document.uploaded_on == D(2025, 12, 23)
    assert document.file.name.startswith("complaints/")
    assert (media / document.file.name).read_bytes() == PNG
    assert complaint.version == 2
    event = complaint.events.get(action=ComplaintEvent.Action.DOCUMENT_UPLOADED)
    assert event.actor == officer
    assert event.changes["content_type"] == [None, "image/png"]


def test_a_pdf_is_kept(media, officer, complaint):
    document = upload(officer, complaint, "Report.PDF", PDF, kind=Document.Kind.REPORT)
    assert document.content_type == "application/pdf"


def test_plain_text_is_kept(media, officer, complaint):
    document = upload(officer, complaint, "call.txt", b"Resident rang about the damp.\n")
    assert document.content_type == "text/plain"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("damp.pdf", PNG),  # content does not match the name
        ("damp.png", PDF),
        ("notes.txt", PNG),
        ("virus.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50),
        ("photo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("binary.txt", b"\x00\x01\x02\x03 not text"),
        ("noextension", PDF),
    ],
)
def test_files_outside_the_allow_list_are_refused(media, officer, complaint, name, content):
    before = state(complaint)
    with pytest.raises(InvalidInput) as exc:
        upload(officer, complaint, name, content)
    assert exc.value.code == "file_type_not_allowed"
    assert state(complaint) == before
    assert not any(media.rglob("*.*"))


def test_a_file_over_the_limit_is_refused(media, settings, officer, complaint):
    settings.PUTRIGHT_DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    before = state(complaint)
    with pytest.raises(InvalidInput) as exc:
        upload(officer, complaint, "big.pdf", PDF + b" " * (2 * 1024 * 1024))
    assert exc.value.code == "file_too_large"
    assert "2 MB" in exc.value.message
    assert state(complaint) == before
    assert not any(media.rglob("*.*"))


def test_an_empty_file_is_refused(media, officer, complaint):
    before = state(complaint)
    with pytest.raises(InvalidInput) as exc:
        upload(officer, complaint, "empty.pdf", b"")
    assert exc.value.code == "file_empty"
    assert state(complaint) == before


def test_a_stale_upload_writes_nothing(media, officer, complaint):
    before = state(complaint)
    with pytest.raises(StaleVersion):
        upload(officer, complaint, "damp.png", PNG, expected_version=7)
    assert state(complaint) == before
    assert not any(media.rglob("*.*"))


def test_an_unknown_kind_is_refused(media, officer, complaint):
    before = state(complaint)
    with pytest.raises(InvalidInput) as exc:
        upload(officer, complaint, "damp.png", PNG, kind="selfie")
    assert exc.value.code == "invalid_kind"
    assert state(complaint) == before


def record(user, complaint, **kwargs):
    kwargs.setdefault("direction", Correspondence.Direction.IN)
    kwargs.setdefault("channel", Correspondence.Channel.EMAIL)
    kwargs.setdefault("party", Correspondence.Party.RESIDENT)
    kwargs.setdefault("summary", "Resident sent photos of the mould.")
    kwargs.setdefault("on", D(2025, 12, 23))
    return services.correspondence_record(acting_user=user, complaint=complaint, **kwargs)


def test_correspondence_is_recorded_with_its_document(media, officer, complaint):
    document = upload(officer, complaint, "damp.png", PNG, kind=Document.Kind.PHOTO)
    row = record(officer, complaint, stage_number=1, document=document, expected_version=2)
    row.refresh_from_db()
    assert row.direction == "in"
    assert row.channel == "email"
    assert row.party == "resident"
    assert row.happened_on == D(2025, 12, 23)
    assert row.document == document
    assert row.stage_number == 1
    assert complaint.version == 3
    event = complaint.events.get(action=ComplaintEvent.Action.CORRESPONDENCE_RECORDED)
    assert event.stage_number == 1
    assert event.happened_on == D(2025, 12, 23)


@pytest.mark.parametrize(
    ("kwargs", "error", "code"),
    [
        ({"direction": "sideways"}, InvalidInput, "invalid_direction"),
        ({"channel": "pigeon"}, InvalidInput, "invalid_channel"),
        ({"party": "stranger"}, InvalidInput, "invalid_party"),
        ({"summary": "  "}, InvalidInput, "summary_missing"),
        ({"on": D(2025, 12, 21)}, InvalidInput, "date_before_receipt"),
        ({"on": D(2099, 1, 1)}, InvalidInput, "date_in_future"),
        ({"stage_number": 2}, StepRefused, "no_such_stage"),
    ],
)
def test_bad_correspondence_is_refused(officer, complaint, kwargs, error, code):
    before = state(complaint)
    with pytest.raises(error) as exc:
        record(officer, complaint, **kwargs)
    assert exc.value.code == code
    assert state(complaint) == before


def test_a_document_from_another_complaint_is_refused(media, log, officer, complaint):
    other = log()
    document = upload(officer, other, "damp.png", PNG)
    before = state(complaint)
    with pytest.raises(StepRefused) as exc:
        record(officer, complaint, document=document)
    assert exc.value.code == "document_mismatch"
    assert state(complaint) == before


def test_a_note_is_added(officer, complaint):
    note = services.note_add(
        acting_user=officer, complaint=complaint, text=" Rang back, no answer. ", on=D(2025, 12, 23)
    )
    assert Note.objects.get(pk=note.pk).text == "Rang back, no answer."
    assert note.written_by == officer
    assert complaint.version == 2
    assert complaint.events.filter(action=ComplaintEvent.Action.NOTE_ADDED).count() == 1


def test_an_empty_note_is_refused(officer, complaint):
    before = state(complaint)
    with pytest.raises(InvalidInput) as exc:
        services.note_add(acting_user=officer, complaint=complaint, text="   ")
    assert exc.value.code == "note_missing"
    assert state(complaint) == before


def test_the_sweep_deletes_only_old_files_no_record_refers_to(media, officer, complaint):
    import os
    import time

    kept = services.document_upload(
        acting_user=officer,
        complaint=complaint,
        uploaded_file=SimpleUploadedFile("kept.pdf", PDF),
        kind="evidence",
    )
    folder = media / "complaints" / "2026" / "01"
    folder.mkdir(parents=True, exist_ok=True)
    orphan, fresh = folder / "crashed.pdf", folder / "uploading.pdf"
    orphan.write_bytes(PDF)
    fresh.write_bytes(PDF)
    two_hours_ago = time.time() - 2 * 3600
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    os.utime(kept.file.path, (two_hours_ago, two_hours_ago))

    assert services.documents_sweep_orphans() == 1
    assert not orphan.exists()
    assert fresh.exists()  # its upload may still be committing
    assert os.path.exists(kept.file.path)
    assert services.documents_sweep_orphans() == 0  # idempotent

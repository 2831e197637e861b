"""The subject access export from the case page: for those whose role allows it, recorded."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from putright.core.models import SecurityEvent, SecurityEventKind
from tests.accounts.helpers import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(log, media):
    return log()


def test_a_complaints_manager_downloads_the_export_from_the_case_page(client, complaint):
    manager = make_staff("Complaints manager")
    client.force_login(manager)
    resident = complaint.complainant
    case = client.get(reverse("casework:case", args=[complaint.reference])).content.decode()
    export_url = reverse("privacy:subject-access", kwargs={"pk": resident.pk})
    assert f'href="{export_url}"' in case

    page = client.get(export_url)
    assert page.status_code == 200
    assert f"Export everything held about {resident.full_name}" in page.content.decode()

    download = client.post(export_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith('attachment; filename="subject-access-')
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert "index.html" in names
    event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
    assert event.actor == manager


def test_a_case_handler_is_neither_offered_nor_given_the_export(client, complaint):
    client.force_login(make_staff("Case handler"))
    export_url = reverse("privacy:subject-access", kwargs={"pk": complaint.complainant_id})
    case = client.get(reverse("casework:case", args=[complaint.reference])).content.decode()
    assert export_url not in case
    assert client.get(export_url).status_code == 403
    assert client.post(export_url).status_code == 403
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).exists()

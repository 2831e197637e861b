"""The subject access export as staff ask for it: a page saying what it holds, then the ZIP."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from putright.core import clock
from putright.people.models import Resident
from putright.privacy.services import subject_access_export

EXPORT = "people.export_subject_access"


@permission_required(EXPORT, raise_exception=True)
def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    resident = get_object_or_404(Resident, pk=pk)
    if request.method != "POST":
        return render(request, "privacy/export.html", {"resident": resident})
    archive = subject_access_export(resident, acting_user=request.user)
    label = resident.reference or f"person-{resident.pk}"
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{label}-{clock.today().isoformat()}.zip"'
    )
    return response

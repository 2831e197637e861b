"""Subject access (UK GDPR article 15): everything held about a resident, as one ZIP file."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from putright.core import clock, security_log
from putright.organisation.selectors import get_organisation
from putright.people.models import Resident, ResidentEvent
from putright.people.selectors import resident_label
from putright.privacy.selectors import subject_access_record
from putright.privacy.subject_access import build_archive

EXPORTED = "subject_access_exported"


@transaction.atomic
def subject_access_export(resident: Resident, *, acting_user: Any) -> bytes:
    """The ZIP (``index.html``, ``data/*.json``, ``documents/``) of everything about ``resident``.

    An export of a person's whole record is a security event: it is written to their history and
    to the security log, with who made it. ``acting_user`` is a member of staff, or text saying
    who acted (the command line).
    """
    today = clock.today()
    record = subject_access_record(resident_id=resident.pk)
    archive = build_archive(record, prepared_on=today, organisation=get_organisation().name)
    documents = sum(len(complaint.documents.all()) for complaint in record.complaints)
    ResidentEvent.write(
        resident=record.resident,
        acting_user=acting_user,
        on=today,
        action=EXPORTED,
        summary="Subject access export made",
        changes={"complaints": [None, len(record.complaints)], "documents": [None, documents]},
    )
    security_log.record(
        security_log.Kind.EXPORT,
        actor=acting_user,
        subject=security_log.subject_for("resident", [resident_label(record.resident)]),
        export="subject access",
        complaints=len(record.complaints),
        documents=documents,
    )
    return archive

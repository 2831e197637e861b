"""Each stage's copies of its complaint's facts, which the report counts stages by."""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from putright.complaints.models import Stage, Status
from putright.complaints.report_copies import COPIES
from tests.complaints.helpers import stage_copies_out_of_step
from tests.people.factories import ResidentFactory


def test_a_stage_opens_with_its_complaints_facts(log):
    complainant = ResidentFactory()
    complaint = log(complainant=complainant)

    stage = Stage.objects.get(complaint=complaint)

    assert stage.complaint_status == Status.RECEIVED
    assert stage.complaint_channel == complaint.channel
    assert stage.complaint_tenure == complaint.tenure_at_receipt
    assert stage.complainant_id == complainant.pk


def test_stages_from_before_the_copies_get_them_from_their_complaints(log):
    """The migration that added the copies fills them for every stage already there."""
    complaints = [log(), log()]
    Stage.objects.update(**{field.removesuffix("_id"): None for field in COPIES if "_id" in field})
    Stage.objects.update(complaint_status="", complaint_tenure="", complaint_channel="")
    assert len(stage_copies_out_of_step()) == len(complaints)

    migration = import_module("putright.complaints.migrations.0017_stage_report_copies")
    migration.copy_complaint_facts(apps, SimpleNamespace(connection=connection))

    assert stage_copies_out_of_step() == []

"""The complaints admin is for looking only: every change goes through the services."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from putright.complaints.models import (
    Action,
    Complaint,
    ComplaintEvent,
    Correspondence,
    Decision,
    Document,
    Extension,
    Note,
    Point,
    Refusal,
    Remedy,
    Stage,
)

MODELS = [
    Complaint,
    Stage,
    Extension,
    Refusal,
    ComplaintEvent,
    Point,
    Decision,
    Remedy,
    Action,
    Correspondence,
    Document,
    Note,
]


@pytest.mark.parametrize("model", MODELS)
def test_registered_read_only(model, db):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_complaints_filter_on_status_and_channel():
    assert {"status", "channel"} <= set(admin.site._registry[Complaint].list_filter)

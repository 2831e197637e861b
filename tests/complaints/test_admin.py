"""The complaints admin is for looking only: every change goes through the services."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from putright.complaints.models import Complaint, ComplaintEvent, Extension, Refusal, Stage


@pytest.mark.parametrize("model", [Complaint, Stage, Extension, Refusal, ComplaintEvent])
def test_registered_read_only(model, db):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_complaints_filter_on_status_and_channel():
    assert {"status", "channel"} <= set(admin.site._registry[Complaint].list_filter)

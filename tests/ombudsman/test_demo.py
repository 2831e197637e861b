"""The demo's Ombudsman step: a handful of cases through the services, with findings, orders
and requests."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from putright.ombudsman.models import Finding, InformationRequest, OmbudsmanCase, Order

pytestmark = pytest.mark.django_db


def test_the_demo_records_a_handful_of_ombudsman_cases():
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", "--scale=0.02", "--as-at=2026-11-24", stdout=out)
    print(out.getvalue())
    cases = OmbudsmanCase.objects.count()
    assert 1 <= cases <= 8
    assert "Ombudsman:" in out.getvalue()
    assert InformationRequest.objects.count() == cases
    assert OmbudsmanCase.objects.filter(determined_on__isnull=False).exists()
    assert Finding.objects.exists()
    assert Order.objects.exists()

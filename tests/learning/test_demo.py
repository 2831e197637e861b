"""The demo's learning step: lessons linked to the demo's complaints, and a plan at mixed RAG."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from putright.learning.models import ImprovementPlan, Lesson, PlanAction, QuarterSnapshot

pytestmark = pytest.mark.django_db


def test_the_demo_records_lessons_and_an_improvement_plan():
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", "--scale=0.02", "--as-at=2026-11-24", stdout=out)
    assert "Learning: 5 lessons and a plan with 7 actions." in out.getvalue()
    assert Lesson.objects.filter(complaints__isnull=False).distinct().count() == 5
    assert set(Lesson.objects.values_list("status", flat=True)) == {
        "identified",
        "in_progress",
        "embedded",
    }
    plan = ImprovementPlan.objects.get()
    assert plan.year == 2026
    assert set(PlanAction.objects.values_list("rag", flat=True)) == {
        "red",
        "amber",
        "green",
        "complete",
    }
    # 24 November 2026 is in quarter 3: quarters 1 and 2 have ended.
    assert list(QuarterSnapshot.objects.values_list("quarter", flat=True)) == [1, 2]

    again = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", "--scale=0.02", "--as-at=2026-11-24", "--force", stdout=again)
    assert "already exists" in again.getvalue()
    assert Lesson.objects.count() == 5

"""History is append-only in the database itself: UPDATE and DELETE are refused whoever sends
them, except the anonymisation job's redaction (and a flush) under the one narrow unlock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from putright.complaints import services
from putright.complaints.models import ComplaintEvent
from putright.people import services as people
from putright.people.models import ResidentEvent
from putright.privacy import append_only
from putright.privacy.append_only import Purpose, unlocked
from tests.complaints.helpers import acknowledge

D = dt.date
HISTORY = [ComplaintEvent, ResidentEvent]


@pytest.fixture
def history(log, officer):
    """A complaint logged and acknowledged, and a person added, each with its history."""
    resident = people.resident_create(acting_user=officer, last_name="Okafor", first_name="Ada")
    acknowledge(acting_user=officer, complaint=log(complainant=resident), on=D(2025, 12, 23))
    assert ComplaintEvent.objects.count() == 2
    assert ResidentEvent.objects.count() == 1
    return resident


def rows(model) -> list[dict]:
    return list(model.objects.order_by("pk").values())


def refused(write) -> None:
    """``write`` raises a database error; the savepoint lets the test carry on (PostgreSQL)."""
    with pytest.raises(DatabaseError, match="append-only|redacted"), transaction.atomic():
        write()


@pytest.mark.parametrize("model", HISTORY, ids=lambda m: m.__name__)
def test_a_queryset_update_is_refused_and_changes_nothing(history, model):
    before = rows(model)
    refused(lambda: model.objects.update(summary="Nothing happened"))
    refused(lambda: model.objects.filter(pk=before[0]["id"]).update(happened_on=D(2020, 1, 1)))
    assert rows(model) == before


@pytest.mark.parametrize("model", HISTORY, ids=lambda m: m.__name__)
def test_a_queryset_delete_is_refused_and_changes_nothing(history, model):
    before = rows(model)
    refused(lambda: model.objects.all().delete())
    assert rows(model) == before


@pytest.mark.parametrize("model", HISTORY, ids=lambda m: m.__name__)
def test_raw_sql_update_and_delete_are_refused(history, model):
    table = model._meta.db_table
    before = rows(model)

    def execute(sql: str):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    refused(lambda: execute(f"UPDATE {table} SET summary = 'rewritten'"))
    refused(lambda: execute(f"UPDATE {table} SET action = 'rewritten', changes = '{{}}'"))
    refused(lambda: execute(f"DELETE FROM {table}"))
    assert rows(model) == before


def test_appending_still_works(history, log, officer):
    complaint = log()
    services.note_add(acting_user=officer, complaint=complaint, text="Rang back.")
    people.resident_update(resident=history, data={"first_name": "Adaeze"}, acting_user=officer)
    imported = ResidentEvent.build(
        acting_user=None, on=D(2025, 12, 22), action="imported", resident=history
    )
    ResidentEvent.objects.bulk_create([imported])
    assert ComplaintEvent.objects.count() == 4
    assert ResidentEvent.objects.count() == 3


def test_the_redaction_unlock_lets_personal_text_change_and_nothing_else(history):
    with unlocked(Purpose.REDACT):
        ComplaintEvent.objects.update(summary="[anonymised]", changes={}, actor_description="")
        ResidentEvent.objects.update(summary="[anonymised]", property=None)
    assert set(ComplaintEvent.objects.values_list("summary", flat=True)) == {"[anonymised]"}
    before = rows(ComplaintEvent)
    for change in ({"action": "other"}, {"happened_on": D(2020, 1, 1)}, {"stage_number": 2}):
        with pytest.raises(DatabaseError, match="redacted"), unlocked(Purpose.REDACT):
            ComplaintEvent.objects.update(**change)
    with pytest.raises(DatabaseError, match="append-only"), unlocked(Purpose.REDACT):
        ComplaintEvent.objects.all().delete()
    with pytest.raises(DatabaseError, match="redacted"), unlocked(Purpose.REDACT):
        ResidentEvent.objects.update(resident=None)
    assert rows(ComplaintEvent) == before


def test_the_unlock_lasts_only_for_its_block_even_when_the_block_fails(history):
    with pytest.raises(RuntimeError), unlocked(Purpose.REDACT):
        ComplaintEvent.objects.update(summary="half done")
        raise RuntimeError("the job failed")
    assert "half done" not in ComplaintEvent.objects.values_list("summary", flat=True)
    with unlocked(Purpose.REDACT):
        pass
    refused(lambda: ComplaintEvent.objects.update(summary="after the block"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {append_only.UNLOCK_TABLE}")
        assert cursor.fetchone() == (0,)


def test_the_emptying_unlock_does_not_allow_rewriting(history):
    with pytest.raises(DatabaseError, match="append-only"), unlocked(Purpose.EMPTY):
        ComplaintEvent.objects.update(summary="rewritten")


def test_the_guards_come_back_after_migrate_if_a_table_rebuild_dropped_them(history):
    append_only.remove(connection)
    ComplaintEvent.objects.filter(pk=ComplaintEvent.objects.first().pk).update(summary="unguarded")
    append_only.reinstall_after_migrate(using=connection.alias)
    refused(lambda: ComplaintEvent.objects.update(summary="guarded again"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flush_empties_the_history_with_everything_else(history):
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not ComplaintEvent.objects.exists()
    assert not ResidentEvent.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {append_only.UNLOCK_TABLE}")
        assert cursor.fetchone() == (0,)

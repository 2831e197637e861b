"""History that the database itself refuses to rewrite, and the one narrow way to redact it.

``complaints_complaintevent`` and ``people_residentevent`` carry triggers (SQLite and PostgreSQL)
that refuse every UPDATE and DELETE, whoever sends it: a queryset ``update()``, the admin, raw
SQL. Two things may pass, each only while a row of ``privacy_historyunlock`` says so, and that
row lives only inside the transaction that inserted it (:func:`unlocked`):

- ``redact``: the anonymisation job rewrites an event's personal text (its summary, changes and
  who acted when that was not staff; a resident event's home too). Every other column (the
  action, the dates, whose history it is) stays refused even then.
- ``empty``: ``putright flush`` empties every table (Django's test teardown on SQLite, where
  a flush is DELETE; PostgreSQL's flush is TRUNCATE, which row triggers do not see).

The unlock table is made by raw SQL, not as a model, so that a flush never empties it first.
See docs/decisions/0009-append-only-history.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

UNLOCK_TABLE = "privacy_historyunlock"


class Purpose(StrEnum):
    REDACT = "redact"
    EMPTY = "empty"


# Each history table, and the columns anonymisation may rewrite in it (all others never change).
REDACTABLE: dict[str, tuple[str, ...]] = {
    "complaints_complaintevent": ("summary", "changes", "actor_description"),
    "people_residentevent": ("summary", "changes", "actor_description", "property_id"),
}

CREATE_UNLOCK_TABLE = (
    f"CREATE TABLE {UNLOCK_TABLE} ("
    "id integer NOT NULL PRIMARY KEY CHECK (id = 1), "
    "purpose varchar(10) NOT NULL CHECK (purpose IN ('redact', 'empty')))"
)

REFUSED_DELETE = "History is append-only: an event is never deleted"
REFUSED_UPDATE = "History is append-only: an event is never changed"
# (No apostrophes: these sit inside SQL string literals.)
REFUSED_COLUMN = "Only the personal text of an event may be redacted; what happened and when stays"


def _unlocked_for(purpose: Purpose) -> str:
    return f"EXISTS (SELECT 1 FROM {UNLOCK_TABLE} WHERE purpose = '{purpose}')"


# SQLite -----------------------------------------------------------------------------------------


def _sqlite_triggers(table: str, columns: list[str]) -> dict[str, str]:
    kept = [name for name in columns if name not in REDACTABLE[table]]
    changed = " OR ".join(f'NEW."{name}" IS NOT OLD."{name}"' for name in kept)
    return {
        f"privacy_{table}_no_delete": (
            f"CREATE TRIGGER privacy_{table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN NOT {_unlocked_for(Purpose.EMPTY)} "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSED_DELETE}'); END"
        ),
        f"privacy_{table}_no_update": (
            f"CREATE TRIGGER privacy_{table}_no_update BEFORE UPDATE ON {table} "
            f"WHEN NOT {_unlocked_for(Purpose.REDACT)} "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSED_UPDATE}'); END"
        ),
        f"privacy_{table}_redact_only": (
            f"CREATE TRIGGER privacy_{table}_redact_only BEFORE UPDATE ON {table} "
            f"WHEN {changed} "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSED_COLUMN}'); END"
        ),
    }


def _install_sqlite(cursor: Any, connection: Any) -> None:
    for table in REDACTABLE:
        # The columns as they are now, so a column added later is guarded too.
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        for name, sql in _sqlite_triggers(table, columns).items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(sql)


def _remove_sqlite(cursor: Any) -> None:
    for table in REDACTABLE:
        for name in _sqlite_triggers(table, []):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


# PostgreSQL -------------------------------------------------------------------------------------

# One function for both tables: the redactable columns come as the trigger's arguments, and the
# row without them must be the same before and after.
POSTGRES_GUARD = f"""
CREATE OR REPLACE FUNCTION privacy_guard_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF {_unlocked_for(Purpose.EMPTY)} THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION USING MESSAGE = '{REFUSED_DELETE}', ERRCODE = 'restrict_violation';
    END IF;
    IF NOT {_unlocked_for(Purpose.REDACT)} THEN
        RAISE EXCEPTION USING MESSAGE = '{REFUSED_UPDATE}', ERRCODE = 'restrict_violation';
    END IF;
    IF (to_jsonb(NEW) - TG_ARGV) IS DISTINCT FROM (to_jsonb(OLD) - TG_ARGV) THEN
        RAISE EXCEPTION USING MESSAGE = '{REFUSED_COLUMN}', ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$
"""
# The unlock must never be committed: checked at commit, whatever the code between did.
POSTGRES_UNLOCK_GUARD = f"""
CREATE OR REPLACE FUNCTION privacy_unlock_never_commits() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM {UNLOCK_TABLE}) THEN
        RAISE EXCEPTION USING
            MESSAGE = 'The history unlock must be removed before its transaction commits',
            ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$
"""


def _install_postgresql(cursor: Any) -> None:
    cursor.execute(POSTGRES_GUARD)
    for table, columns in REDACTABLE.items():
        arguments = ", ".join(f"'{name}'" for name in columns)
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER privacy_guard BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION privacy_guard_history({arguments})"
        )
    cursor.execute(POSTGRES_UNLOCK_GUARD)
    cursor.execute(f"DROP TRIGGER IF EXISTS privacy_unlock_never_commits ON {UNLOCK_TABLE}")
    cursor.execute(
        f"CREATE CONSTRAINT TRIGGER privacy_unlock_never_commits AFTER INSERT ON {UNLOCK_TABLE} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION privacy_unlock_never_commits()"
    )


def _remove_postgresql(cursor: Any) -> None:
    for table in REDACTABLE:
        cursor.execute(f"DROP TRIGGER IF EXISTS privacy_guard ON {table}")
    cursor.execute("DROP FUNCTION IF EXISTS privacy_guard_history()")
    cursor.execute(f"DROP TRIGGER IF EXISTS privacy_unlock_never_commits ON {UNLOCK_TABLE}")
    cursor.execute("DROP FUNCTION IF EXISTS privacy_unlock_never_commits()")


# Installing, and unlocking ----------------------------------------------------------------------


def install(connection: Any) -> None:
    """Create (or bring up to date) the guards on every history table. Idempotent."""
    # Statements go to the cursor without parameters, so nothing reads % or ? in them.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _install_sqlite(cursor, connection)
        elif connection.vendor == "postgresql":
            _install_postgresql(cursor)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _remove_sqlite(cursor)
        elif connection.vendor == "postgresql":
            _remove_postgresql(cursor)


def is_installed(connection: Any) -> bool:
    """Whether the unlock table exists, that is whether this app's migration has run."""
    with connection.cursor() as cursor:
        return UNLOCK_TABLE in connection.introspection.table_names(cursor)


def reinstall_after_migrate(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    connection = connections[using]
    if is_installed(connection):
        install(connection)


@contextmanager
def unlocked(purpose: Purpose, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let ``purpose`` past the history guards for the body of this block, in one transaction.

    The unlock row is inserted and deleted inside the block's own transaction (a savepoint when
    one is already open). On PostgreSQL no other transaction can see an uncommitted row, and a
    deferred trigger refuses to commit one; SQLite has one writer at a time. If the body raises,
    the transaction rolls back and the row goes with it.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {UNLOCK_TABLE} (id, purpose) VALUES (1, %s)", [str(purpose)]
            )
        yield
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {UNLOCK_TABLE}")

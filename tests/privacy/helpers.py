"""Looking through the whole database, whatever its tables: for a word, or for any change."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, Model


def _text(value: Any) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        # Full-text index pages are binary; the words in them are stored as their UTF-8 bytes.
        return value.decode("latin-1").lower()
    return str(value).lower()


def _tables() -> list[tuple[str, list[str]]]:
    introspection = connection.introspection
    with connection.cursor() as cursor:
        return [
            (table, [column.name for column in introspection.get_table_description(cursor, table)])
            for table in introspection.table_names(cursor)
        ]


def _rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return cursor.fetchall()


def where_found(*needles: str) -> set[tuple[str, str]]:
    """(table, column) of every value, in every table the database has (full-text index and
    its internal tables included), that holds one of ``needles`` in any case."""
    wanted = [needle.lower() for needle in needles]
    found = set()
    for table, columns in _tables():
        for row in _rows(table):
            for column, value in zip(columns, row, strict=True):
                text = _text(value)
                if any(needle in text for needle in wanted):
                    found.add((table, column))
    return found


def everything() -> dict[str, list[str]]:
    """Every row of every table, to compare before and after."""
    return {table: sorted(repr(row) for row in _rows(table)) for table, _ in _tables()}


def counts(model: type[Model], *fields: str) -> dict[tuple, int]:
    rows = model.objects.values_list(*fields).annotate(n=Count("pk")).order_by()
    return {tuple(row[:-1]): row[-1] for row in rows}

"""Word search over complaints through the database's own full-text index.

Each complaint keeps ``search_text``: the complainant's name, the home's address and postcode as
they were when it was logged, and the resident's own words. SQLite indexes it in an FTS5 table
kept by triggers; PostgreSQL in a GIN index over ``to_tsvector('simple', ...)``. Both match each
word the person typed as the start of a word in the text, all words required, so "okaf gw2"
finds Ada Okafor of GW2 2BQ. Queues then read a page of matches without scanning every row.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Q
from django.db.models.expressions import RawSQL

MAX_WORDS = 6
_WORD = re.compile(r"\w+")

FTS_TABLE = "complaints_complaint_fts"  # made, with its triggers, by migration 0006


def text_for(*, complainant: Any, property: Any, description: str) -> str:
    """What a complaint is found by: name, address and postcode at logging, and its words."""
    parts = [complainant.first_name, complainant.last_name]
    if property is not None:
        parts += [property.address_line_1, property.address_line_2, property.postcode]
    parts.append(description)
    return " ".join(part for part in parts if part)


def words(search: str) -> list[str]:
    """The words of a search, lower case, without anything the index would read as syntax."""
    return [word.lower() for word in _WORD.findall(search)][:MAX_WORDS]


def matching(search: str) -> Q:
    """Complaints whose text has every word of ``search`` as the start of a word."""
    terms = words(search)
    if not terms:
        return Q()
    if connection.vendor == "postgresql":
        query = " & ".join(f"{term}:*" for term in terms)
        # OFFSET 0 keeps the matches a query of their own, gathered once from the GIN index.
        # Folded into the queue's query, PostgreSQL underestimates the queue and re-reads the
        # words of each of its complaints instead (150 ms against 35 for 16,000 overdue).
        sql = (
            "SELECT id FROM complaints_complaint WHERE "
            "to_tsvector('simple', search_text) @@ to_tsquery('simple', %s) OFFSET 0"
        )
        return Q(id__in=RawSQL(sql, [query]))
    # SQLite would drive the query from the index's matches and look each one up, which for a
    # common word means tens of thousands of lookups. The unary + keeps the id out of index
    # choice: the queue's own index gives the rows in order and each is checked against the
    # matches, gathered once.
    return Q(_IndexMatch(" ".join(f'"{term}"*' for term in terms)))


class _IndexMatch(Func):
    """``+id IN (the FTS5 index's matches)`` for the complaint table however it is aliased."""

    output_field = BooleanField()

    def __init__(self, query: str):
        super().__init__(F("id"))
        self.query = query

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        column, params = compiler.compile(self.source_expressions[0])
        sql = f"+{column} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
        return sql, [*params, self.query]

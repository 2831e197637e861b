"""Word search through the database's full-text index (SQLite FTS5, PostgreSQL GIN)."""

from __future__ import annotations

import pytest
from django.db import connection

from putright.complaints import search
from putright.complaints.models import Complaint
from tests.people.factories import PropertyFactory, ResidentFactory


@pytest.fixture
def found(log):
    ada = log(
        complainant=ResidentFactory(first_name="Ada", last_name="Okafor"),
        property=PropertyFactory(address_line_1="4 Canal Row", postcode="GW2 2BQ"),
        description="The boiler has failed three times.",
    )
    bert = log(
        complainant=ResidentFactory(first_name="Bert", last_name="Canalside"),
        description="Mould in the bathroom.",
    )

    def refs(text: str) -> set[str]:
        return set(
            Complaint.objects.filter(search.matching(text)).values_list("reference", flat=True)
        )

    refs.ada, refs.bert = ada.reference, bert.reference
    return refs


def test_logging_keeps_the_text_to_find_a_complaint_by(log):
    complaint = log(
        complainant=ResidentFactory(first_name="Ada", last_name="Okafor"),
        property=PropertyFactory(address_line_1="4 Canal Row", postcode="GW2 2BQ"),
        description="The boiler has failed.",
    )
    assert complaint.search_text == "Ada Okafor 4 Canal Row GW2 2BQ The boiler has failed."


def test_every_word_must_start_a_word_of_the_text(found):
    assert found("okafor") == {found.ada}
    assert found("OKAF") == {found.ada}  # the start of a word, any case
    assert found("canal") == {found.ada, found.bert}  # an address and a surname
    assert found("canal boiler") == {found.ada}  # every word must match
    assert found("gw2 2bq") == {found.ada}  # a postcode
    assert found("bathroom") == {found.bert}  # the complaint's own words
    assert found("afor") == set()  # the middle of a word is not the start of one
    assert found("zebra") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("boiler*", {"ada"}),  # punctuation is dropped, the words remain
        ("-boiler", {"ada"}),
        ("NEAR(boiler", set()),  # "near" is a word like any other
        ("boiler OR mould", set()),  # so is "or": nothing has all three
        ('"', None),  # no words at all: no word filter
    ],
)
def test_index_syntax_typed_by_a_person_is_only_words(found, text, expected):
    everything = {found.ada, found.bert}
    wanted = everything if expected is None else {getattr(found, name) for name in expected}
    assert found(text) == wanted


def test_a_changed_text_is_found_by_its_new_words(found):
    Complaint.objects.filter(reference=found.bert).update(search_text="Bert Canalside Damp")
    assert found("damp") == {found.bert}
    assert found("bathroom") == set()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps its index by triggers")
def test_the_sqlite_index_triggers_are_in_place(db):
    # A later migration that remakes the complaint table on SQLite would drop these silently.
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert {f"{search.FTS_TABLE}_{n}" for n in ("ai", "ad", "au")} <= names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner only")
def test_the_matches_are_gathered_once_from_the_word_index(found):
    # Without the fence PostgreSQL may fold the matches into the queue's query and work out the
    # words of every complaint in the queue, one by one (150 ms at 16,000 overdue complaints).
    sql = str(Complaint.objects.filter(search.matching("boiler")).query)
    assert "OFFSET 0" in sql
    assert found("boiler") == {found.ada}

"""The letters' wording: checked when reworded, saved as versions, used by every letter issued
afterwards and stored with each, while letters already issued keep the words they were sent in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from putright.accounts.roles import ADMINISTRATOR, COMPLAINTS_MANAGER
from putright.core.errors import InvalidInput, StaleVersion
from putright.letters import services as letters
from putright.letters import versions
from putright.letters.compose import compose
from putright.letters.models import WordingVersion
from putright.letters.render import render_html, render_text
from putright.letters.stored import as_letter
from putright.letters.wording import BUILT_IN, PHRASES, Wording, phrase_problems, placeholders
from tests.accounts.helpers import make_staff
from tests.letters import records as r

LETTERS = Path(__file__).resolve().parents[2] / "putright" / "letters"


# --- checking a rewording -----------------------------------------------------------------------


def test_every_phrase_is_used_by_the_letters():
    """A phrase in the catalogue that no letter reads would be an edit with no effect."""
    source = (LETTERS / "compose.py").read_text() + (LETTERS / "render.py").read_text()
    for key in PHRASES:
        head = key.split(".", 1)[0]
        used = {
            "heading": r"words\.heading\(",
            "section": r"words\.section_heading\(",
        }.get(head, rf"""text\(\s*f?["']{re.escape(head)}["'.]""")
        assert re.search(used, source), key


def test_the_built_in_wording_passes_its_own_checks():
    assert phrase_problems(dict(BUILT_IN.texts)) == {}


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("response_by", "We will reply soon.", "must fill in exactly {date}"),
        ("response_by", "We will reply by {date} or {when}.", "must fill in exactly {date}"),
        ("no_remedy", "No remedy, {amount}.", "must fill in exactly no details"),
        ("response_by", "We will reply by {date.", "curly bracket out of place"),
        ("no_remedy", "We offer [a remedy].", "would stop every letter from being sent"),
        ("no_remedy", "TODO", "would stop every letter from being sent"),
        ("no_remedy", "   ", "Enter the wording for “No remedy”"),
        ("no_remedy", "x" * 2001, "2,000 characters or fewer"),
        ("not_a_phrase", "Hello", "no phrase 'not_a_phrase'"),
    ],
)
def test_a_rewording_that_would_break_a_letter_is_refused(key, text, expected):
    assert expected in phrase_problems({key: text})[key]


def test_a_rewording_may_move_its_details_and_change_every_word():
    assert phrase_problems({"response_by": "By {date} you will have our full reply."}) == {}
    assert placeholders(PHRASES["escalation_window"].default) == {"days", "date"}


def test_a_version_missing_a_newer_phrase_reads_it_as_built_in():
    words = Wording({"no_remedy": "Nothing to offer."}, version=4)
    assert words.text("no_remedy") == "Nothing to offer."
    assert words.text("no_actions") == PHRASES["no_actions"].default
    assert words.version == 4


# --- saving versions ----------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_without_a_saved_version_letters_use_the_built_in_wording():
    assert versions.wording_in_use() == BUILT_IN
    assert versions.wording_in_use().version is None


def test_a_saved_version_keeps_every_phrase_and_becomes_the_wording_in_use(officer):
    first = versions.wording_publish(
        acting_user=officer,
        texts={"no_remedy": "  We are not offering anything further.  "},
        note="Plainer wording agreed by the residents' panel",
        based_on=None,
    )
    assert first.number == 1
    assert set(first.texts) == set(PHRASES)
    assert first.texts["no_remedy"] == "We are not offering anything further."
    assert first.texts["no_actions"] == PHRASES["no_actions"].default
    assert first.created_by == officer

    second = versions.wording_publish(
        acting_user=officer, texts={"no_actions": "Nothing is left to do."}, note="b", based_on=1
    )
    in_use = versions.wording_in_use()
    assert (second.number, in_use.version) == (2, 2)
    # Phrases not reworded this time carry over from the version before.
    assert in_use.text("no_remedy") == "We are not offering anything further."
    assert in_use.text("no_actions") == "Nothing is left to do."


def test_saving_over_a_version_someone_else_saved_meanwhile_is_refused(officer):
    versions.wording_publish(acting_user=officer, texts={}, note="first", based_on=None)
    with pytest.raises(StaleVersion, match="Someone saved wording version 1"):
        versions.wording_publish(
            acting_user=officer, texts={"no_remedy": "Mine."}, note="late", based_on=None
        )
    assert WordingVersion.objects.count() == 1


def test_every_faulty_phrase_is_reported_at_once_and_nothing_is_saved(officer):
    with pytest.raises(InvalidInput) as refused:
        versions.wording_publish(
            acting_user=officer,
            texts={"response_by": "Soon.", "no_remedy": "[something]", "no_actions": "Fine."},
            note="bad",
            based_on=None,
        )
    assert {error.field for error in refused.value.every()} == {"response_by", "no_remedy"}
    assert not WordingVersion.objects.exists()


def test_a_version_needs_a_note_of_what_changed(officer):
    with pytest.raises(InvalidInput, match="what changed"):
        versions.wording_publish(acting_user=officer, texts={}, note=" ", based_on=None)


def test_older_wording_comes_back_as_a_new_version(officer):
    versions.wording_publish(acting_user=officer, texts={}, note="built in", based_on=None)
    versions.wording_publish(
        acting_user=officer, texts={"closed": "Your complaint is closed."}, note="x", based_on=1
    )
    back = versions.wording_reinstate(acting_user=officer, version=WordingVersion.objects.get(pk=1))
    assert back.number == 3
    assert back.texts == WordingVersion.objects.get(pk=1).texts
    assert "version 1" in back.note


# --- letters written in a version ---------------------------------------------------------------


def _reworded(officer, based_on=None, **texts):
    return versions.wording_publish(
        acting_user=officer, texts=texts, note="Reworded", based_on=based_on
    )


def test_the_first_letter_issued_stores_the_built_in_wording_as_version_1(log, officer):
    complaint = log()
    issued = letters.acknowledgement_issue(
        acting_user=officer,
        complaint=complaint,
        on=r.ACKNOWLEDGED,
        points=r.STAGE1_POINTS,
        not_responsible_for=r.NOT_RESPONSIBLE_FOR,
    )
    assert issued.wording_version_id == 1
    assert WordingVersion.objects.get().texts == dict(BUILT_IN.texts)


def test_a_letter_is_written_in_the_wording_in_use_and_keeps_it_afterwards(log, officer):
    _reworded(
        officer,
        **{
            "heading.acknowledgement.1": "Thank you for your complaint",
            "section.response_date": "Our reply",
            "response_by": "You will have our full reply by {date} at the latest.",
            "valediction": "With best wishes",
        },
    )
    complaint = log()
    issued = letters.acknowledgement_issue(
        acting_user=officer,
        complaint=complaint,
        on=r.ACKNOWLEDGED,
        points=r.STAGE1_POINTS,
        not_responsible_for=r.NOT_RESPONSIBLE_FOR,
    )
    assert issued.wording_version_id == 1
    assert issued.heading == "Thank you for your complaint"
    # Hand-worked: acknowledged Wed 31 Dec 2025, response due Thu 15 Jan 2026.
    assert issued.sections["response_date"] == (
        "You will have our full reply by 15 January 2026 at the latest."
    )

    # New wording afterwards changes new letters, not this one.
    _reworded(officer, based_on=1, **{"heading.acknowledgement.1": "We have your complaint"})
    issued.refresh_from_db()
    again = as_letter(issued)
    text = render_text(again)
    assert text.startswith("Thank you for your complaint\n")
    assert "OUR REPLY" in text
    assert "With best wishes" in text
    assert '<h2 class="govuk-heading-m">Our reply</h2>' in render_html(again)
    fresh = compose("stage1_acknowledgement", complaint)
    assert (fresh.heading, fresh.words.version) == ("We have your complaint", 2)


def test_a_reworded_decision_reads_in_every_point_of_a_response(log, officer):
    _reworded(
        officer,
        decision_line="What we decided: {finding}",
        **{"finding.upheld": "We agree with you."},
    )
    complaint = r.responded(log, officer, n_points=2, n_remedies=1, n_actions=1)
    letter = compose("stage1_response", complaint)
    decisions = letter.sections["decisions"]
    assert decisions.count("What we decided: ") == 2
    assert letter.check() == []


# --- the administrator's pages ------------------------------------------------------------------


@pytest.fixture
def administrator(client):
    user = make_staff(ADMINISTRATOR, email="admin@example.org", full_name="Ada Admin")
    client.force_login(user)
    client.user = user
    return client


def _form(client) -> dict[str, str]:
    page = client.get(reverse("admin:letters_wordingversion_add"))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["based_on"] = "" if form.initial["based_on"] is None else str(form.initial["based_on"])
    return data


def test_an_administrator_saves_reworded_phrases_as_a_new_version(administrator):
    data = _form(administrator)
    assert data["phrase__no_remedy"] == PHRASES["no_remedy"].default
    data.update(note="Shorter", phrase__no_remedy="We are not offering a remedy.")
    response = administrator.post(reverse("admin:letters_wordingversion_add"), data)
    assert response.status_code == 302
    saved = WordingVersion.objects.get()
    assert (saved.number, saved.created_by) == (1, administrator.user)
    assert saved.texts["no_remedy"] == "We are not offering a remedy."

    # The saved version reads back with what changed; it cannot be edited or deleted.
    page = administrator.get(reverse("admin:letters_wordingversion_change", args=[1]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "We are not offering a remedy." in body
    assert 'name="_save"' not in body
    delete = reverse("admin:letters_wordingversion_delete", args=[1])
    assert administrator.post(delete, {"post": "yes"}).status_code == 403
    assert WordingVersion.objects.count() == 1


def test_a_faulty_rewording_is_shown_beside_its_phrase_and_what_was_typed_is_kept(administrator):
    data = _form(administrator)
    data.update(note="Try", phrase__response_by="We will reply soon.")
    response = administrator.post(reverse("admin:letters_wordingversion_add"), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "must fill in exactly {date}" in form.errors["phrase__response_by"][0]
    assert "We will reply soon." in response.content.decode()
    assert not WordingVersion.objects.exists()


def test_an_administrator_who_started_from_an_older_version_is_told(administrator, officer):
    data = _form(administrator)
    _reworded(officer, closed="Closed.")
    data.update(note="Late")
    response = administrator.post(reverse("admin:letters_wordingversion_add"), data)
    assert response.status_code == 200
    assert "Someone saved wording version 1" in response.content.decode()
    assert WordingVersion.objects.count() == 1


def test_an_administrator_brings_back_older_wording(administrator, officer):
    _reworded(officer)
    _reworded(officer, based_on=1, closed="Closed.")
    response = administrator.post(
        reverse("admin:letters_wordingversion_changelist"),
        {"action": "bring_back", "_selected_action": ["1"]},
    )
    assert response.status_code == 302
    assert WordingVersion.objects.get(pk=3).texts == WordingVersion.objects.get(pk=1).texts


def test_only_administrators_keep_the_wording(client):
    manager = make_staff(COMPLAINTS_MANAGER, email="manager@example.org")
    client.force_login(manager)
    response = client.get(reverse("admin:letters_wordingversion_add"))
    assert response.status_code == 302
    assert re.search(r"/admin/login/", response.url)

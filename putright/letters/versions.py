"""Versions of the letters' wording: which one is in use, and saving a new one.

An administrator rewords phrases (``wording.PHRASES``) and saves them as a new version; the
version in use is the newest. A version is never edited: going back to older wording saves it
again as the newest, so the list of versions is the history of what letters said and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from putright.core.errors import InvalidInput, Problems, StaleVersion
from putright.letters.models import WordingVersion
from putright.letters.wording import BUILT_IN, PHRASES, Wording, phrase_problems

__all__ = [
    "wording_for_issue",
    "wording_in_use",
    "wording_of",
    "wording_publish",
    "wording_reinstate",
]

BUILT_IN_NOTE = "The built-in wording"


def wording_of(version: WordingVersion) -> Wording:
    return Wording(version.texts, version=version.number)


def _newest() -> WordingVersion | None:
    return WordingVersion.objects.order_by("-number").first()


def wording_in_use() -> Wording:
    """The newest version's wording, or the built-in wording when none has been saved."""
    newest = _newest()
    return BUILT_IN if newest is None else wording_of(newest)


def wording_for_issue() -> Wording:
    """The wording in use, with a stored version behind it, for a letter about to be issued:
    the first letter ever issued saves the built-in wording as version 1, so every issued
    letter names the version it was written in."""
    newest = _newest()
    if newest is None:
        newest, _ = WordingVersion.objects.get_or_create(
            number=1, defaults={"texts": dict(BUILT_IN.texts), "note": BUILT_IN_NOTE}
        )
    return wording_of(newest)


def wording_publish(
    *, acting_user: Any, texts: Mapping[str, str], note: str, based_on: int | None
) -> WordingVersion:
    """Save ``texts`` (every phrase, or only those reworded: the rest are kept from the version
    in use) as the newest version.

    ``based_on`` is the version the administrator started from (None: the built-in wording);
    if someone saved another since, nothing is saved, so one person's rewording never silently
    replaces another's. Refuses wording that ``phrase_problems`` finds fault with, listing every
    problem by phrase key."""
    note = note.strip()
    if not note:
        raise InvalidInput("wording_note_missing", "Say what changed and why", field="note")
    cleaned = {key: text.strip() for key, text in texts.items()}
    found = Problems()
    for key, message in phrase_problems(cleaned).items():
        found.add(InvalidInput("wording_invalid", message, field=key))
    found.raise_any()
    with transaction.atomic():
        newest = _newest()
        current = None if newest is None else newest.number
        if current != based_on:
            raise StaleVersion(
                "wording_changed",
                f"Someone saved wording version {current} while you were editing, so your "
                "changes were not saved. Start again from the new version.",
            )
        base = BUILT_IN if newest is None else wording_of(newest)
        merged = {**base.texts, **cleaned}
        try:
            with transaction.atomic():
                return WordingVersion.objects.create(
                    number=(current or 0) + 1,
                    texts={key: merged[key] for key in PHRASES},
                    note=note,
                    created_by=acting_user if getattr(acting_user, "pk", None) else None,
                )
        except IntegrityError:
            raise StaleVersion(
                "wording_changed",
                "Someone saved new wording at the same moment, so your changes were not saved. "
                "Start again from the new version.",
            ) from None


def wording_reinstate(*, acting_user: Any, version: WordingVersion) -> WordingVersion:
    """Bring back ``version``'s wording by saving it again as the newest version."""
    newest = WordingVersion.objects.aggregate(n=Max("number"))["n"]
    return wording_publish(
        acting_user=acting_user,
        texts=wording_of(version).texts,
        note=f"Wording of version {version.number} brought back",
        based_on=newest,
    )

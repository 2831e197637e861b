"""Doing what a form asks once per form: see ``core.models.Submission``."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django import forms
from django.db import IntegrityError, transaction

from putright.core.models import Submission


def submission_field() -> forms.UUIDField:
    """The hidden key a form carries; new for every blank form, kept when it is redrawn."""
    return forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


def once(key: uuid.UUID | None, act: Callable[[], str]) -> tuple[str, bool]:
    """Run ``act`` (which returns where to go next) unless a form with this key already ran.

    Returns ``(url, first_time)``. The key is claimed in the same transaction as the work, so a
    refused step (an exception) releases it for the corrected form, and a second post that
    arrives while the first is running waits for it and then finds its result.
    """
    if key is None:
        return act(), True
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = Submission.objects.create(key=key)
        except IntegrityError:
            return Submission.objects.get(key=key).result_url, False
        url = act()
        claim.result_url = url
        claim.save(update_fields=["result_url"])
    return url, True

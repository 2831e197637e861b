"""The one clock for "today": the date in Europe/London (the landlord's time zone).

Services, selectors and screens ask this module, never ``timezone.localdate()`` directly, so a
test sets the date in one place (``fixed``) whichever module asks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.utils import timezone

_fixed: date | None = None


def today() -> date:
    return _fixed if _fixed is not None else timezone.localdate()


@contextmanager
def fixed(day: date) -> Iterator[date]:
    """Make ``today()`` answer ``day`` inside the block (tests, and the demo's as-at date)."""
    global _fixed
    previous, _fixed = _fixed, day
    try:
        yield day
    finally:
        _fixed = previous

"""Running the demo once for several read-only tests."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def kept_while_used(django_db_blocker: Any, make: Callable[[], Any]) -> Iterator[Any]:
    """Make data once (``make``), hand it to every test of a class- or module-scoped fixture,
    then roll it back. Each test still runs in its own transaction inside this one, so what a
    test writes is undone after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield make()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

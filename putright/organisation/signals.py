"""Signals other apps connect to, so that organisation never has to import them.

Both are sent inside the transaction of the service that made the change, after the change is
written: a receiver that writes (say, recomputing stored due dates) joins that transaction and
commits or rolls back with it. A receiver with outside effects (email, tasks on another backend)
should defer them with ``transaction.on_commit``.
"""

from django.dispatch import Signal

calendar_changed = Signal()
"""The working-day calendar changed because closure days were added or removed.

Sent with ``sender=ClosureDay`` and keyword arguments:

- ``added``: ``frozenset[date]`` of closure days added,
- ``removed``: ``frozenset[date]`` of closure days removed,
- ``closures``: ``frozenset[date]``, every closure day after the change,
- ``acting_user``: who made the change (or ``None``).
"""

timescales_changed = Signal()
"""The landlord's escalation window or first-contact target changed.

Sent with ``sender=Organisation`` and keyword arguments ``changes`` (``{field: [old, new]}``) and
``acting_user``. The Code's own timescales never change here.
"""

"""An update letter on a stage's actions moves the next update's due date on.

putright.letters (a layer below) issues the letter and records it; this app keeps the schedule,
so it listens for the letter rather than the letters app knowing about tracking.
"""

from __future__ import annotations

import re

from django.db.models.signals import post_save
from django.dispatch import receiver

from putright.letters.models import IssuedLetter
from putright.tracking.services import actions_update_letter_issued

UPDATE_LETTER = re.compile(r"^stage([12])_actions_update$")


@receiver(post_save, sender=IssuedLetter, dispatch_uid="tracking_actions_update_letter")
def _update_letter_issued(sender, instance: IssuedLetter, created: bool, **kwargs) -> None:
    match = UPDATE_LETTER.match(instance.type_key or "")
    if created and match:
        actions_update_letter_issued(
            complaint_id=instance.complaint_id,
            stage_number=int(match.group(1)),
            on=instance.dated,
        )

"""The notice of exceptional circumstances (Code 8.5) on the public reports pages.

The public pages belong to ``putright.reporting``, which sits below this app in the layers and
so may not import it; their layout loads this tag library instead (a template dependency, not a
Python import), and the tag asks this app's selector. One query, on those pages only.
"""

from __future__ import annotations

from django import template

from putright.selfassessment.selectors import running_circumstances

register = template.Library()


@register.inclusion_tag("selfassessment/_public_notice.html")
def exceptional_circumstances_notice() -> dict:
    """A notice for each record of exceptional circumstances running today; nothing otherwise."""
    return {"circumstances": list(running_circumstances())}


@register.inclusion_tag("selfassessment/_public_list.html")
def published_self_assessments() -> dict:
    """The published self-assessments, newest first, for the public reports page (one query)."""
    from putright.selfassessment.exports import published_assessments

    return {"assessments": list(published_assessments())}

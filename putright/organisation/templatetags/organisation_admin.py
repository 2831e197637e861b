"""Template helpers for the organisation pages of the admin."""

from django import template

from putright.organisation.models import CLOSURE_DAY_REMOVAL_WARNING, CLOSURE_DAY_WARNING

register = template.Library()


@register.inclusion_tag("admin/organisation/closureday/_warning.html")
def closure_day_warning(removing: bool = False) -> dict[str, str]:
    """The warning every closure-day page shows, above the form or list."""
    if removing:
        return {
            "heading": "Removing a closure day shortens deadlines.",
            "warning": CLOSURE_DAY_REMOVAL_WARNING,
        }
    return {"heading": "Closure days lengthen Code deadlines.", "warning": CLOSURE_DAY_WARNING}

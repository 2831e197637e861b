"""Template helpers for Ombudsman casework: money in pounds, and the case page's panel."""

from __future__ import annotations

from typing import Any

from django import template

from putright.ombudsman.selectors import cases_for_complaint

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    """1234567 -> "£12,345.67"."""
    pence = pence or 0
    return f"£{pence // 100:,}.{pence % 100:02d}"


@register.inclusion_tag("ombudsman/_case_panel_body.html", takes_context=True)
def ombudsman_cases_for(context: Any, complaint: Any) -> dict:
    """The complaint's Ombudsman cases (one query), for people who may see Ombudsman casework;
    nothing for anyone else."""
    user = context["request"].user
    if not user.has_perm("ombudsman.view_ombudsmancase"):
        return {"show": False}
    return {
        "show": True,
        "complaint": complaint,
        "cases": list(cases_for_complaint(complaint)),
        "may_manage": user.has_perm("ombudsman.manage_ombudsmancase"),
    }

"""Template tags for GOV.UK markup: ``{% load govuk %}``.

- ``{% govuk_field form.field option=value … %}``: one form field (options in core/forms.py).
- ``{% govuk_error_summary form [other_form …] [title="…"] %}``: the error summary, or nothing.
- ``{% govuk_capture as name %}…{% endgovuk_capture %}``: render a block of HTML into a variable,
  to pass as ``html=`` to a component include (details, inset text, notification banner…).
- ``{{ attributes|govuk_attributes }}``: a dict as HTML attributes.
- ``{% govuk_describedby id hint error_message described_by %}``: the ``aria-describedby`` for a
  control with this id, hint and error (and any extra ids).
- ``{% govuk_page_items page_obj as items %}``: page numbers (with ellipses) for pagination.
- ``{{ moment|govuk_time }}``: ``<time datetime="…">3 March 2026 at 2:05pm</time>`` (a date
  alone: ``3 March 2026``), in Europe/London.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page
from django.forms.boundfield import BoundField
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from putright.core import forms as govuk_forms
from putright.core.dates import long_moment

register = template.Library()


@register.simple_tag
def govuk_field(bound_field: BoundField, **options: Any) -> SafeString:
    if not isinstance(bound_field, BoundField):
        raise template.TemplateSyntaxError(
            f"govuk_field needs a form field (form.name), not {bound_field!r}"
        )
    return govuk_forms.render_field(bound_field, **options)


@register.simple_tag
def govuk_error_summary(*forms: Any, title: str = "There is a problem") -> SafeString:
    return govuk_forms.render_error_summary(*(form for form in forms if form), title=title)


@register.filter
def govuk_attributes(attributes: dict | None) -> SafeString:
    return govuk_forms.html_attributes(attributes)


@register.filter
def govuk_time(value: Any) -> SafeString:
    # One conversion and one format, not Django's date and time filters four times over: a
    # busy case's timeline shows dozens.
    if not value:
        return SafeString("")
    machine, words = long_moment(value)
    return format_html('<time datetime="{}">{}</time>', machine, words)


@register.simple_tag
def govuk_describedby(
    field_id: str, hint: Any = "", error: Any = "", extra: str = ""
) -> SafeString:
    """`` aria-describedby="…"``: ``extra``, then ``<field_id>-hint`` and ``<field_id>-error``
    when there is a hint or an error; nothing when there is neither."""
    ids = [str(extra).strip()] if str(extra).strip() else []
    if hint:
        ids.append(f"{field_id}-hint")
    if error:
        ids.append(f"{field_id}-error")
    return format_html(' aria-describedby="{}"', " ".join(ids)) if ids else SafeString("")


@register.simple_tag
def govuk_page_items(page: Page, on_each_side: int = 1, on_ends: int = 1) -> list[dict]:
    """``[{"number": 1, "current": False}, {"ellipsis": True}, …]`` for the pagination include."""
    items: list[dict] = []
    for number in page.paginator.get_elided_page_range(
        page.number, on_each_side=on_each_side, on_ends=on_ends
    ):
        if number == page.paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "current": number == page.number})
    return items


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> str:
        # Auto-escaping applies inside the block, so the result is safe to output as HTML.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag("govuk_capture")
def govuk_capture(parser: template.base.Parser, token: template.base.Token) -> CaptureNode:
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% govuk_capture as name %}…{% endgovuk_capture %}")
    nodelist = parser.parse(("endgovuk_capture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag
def govuk_item_id(item: Any, id_prefix: str, counter: int) -> str:
    """A radio or checkbox item's id: its own, else the prefix for the first item (so error
    summary links land on it) and ``<prefix>-<n>`` for the others, as GOV.UK Frontend does."""
    own = item.get("id") if isinstance(item, dict) else None
    if own:
        return own
    return id_prefix if counter == 1 else f"{id_prefix}-{counter}"


@register.simple_tag(takes_context=True)
def govuk_page_url(context: template.Context, param: str, number: int) -> str:
    """``?<the current query string with param=number>``, keeping filters and sorting."""
    request = context.get("request") or getattr(context, "request", None)
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query[param] = str(number)
    return "?" + query.urlencode()

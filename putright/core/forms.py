"""GOV.UK Design System markup for every Django form in PutRight.

One way to render a field, whatever its widget, with its label, hint, error message and the value
the person typed kept; and one error summary at the top of the page linking to each field.

In a template::

    {% load govuk %}
    {% govuk_error_summary form %}            {# nothing when the form has no errors #}
    <form method="post" novalidate>
      {% csrf_token %}
      {% govuk_field form.email autocomplete="email" %}
      {% govuk_field form.outcome size="m" inline=True %}
      {{ form.notes.as_field_group }}         {# the same markup, without options #}
      {% include "components/button.html" with text="Save" only %}
    </form>

``{{ form }}`` renders every field in turn. Forms inherit :class:`GovukForm` or
:class:`GovukModelForm` (or mix :class:`GovukFormMixin` into another form class), which also
gives required fields GOV.UK-style messages ("Enter …", "Select …") and turns off the browser's
own validation messages. Dates use :class:`GovukDateField`: day, month and year boxes that give
back exactly what was typed when it is not a real date.

Options for ``govuk_field`` (all optional): ``label``, ``hint``, ``size`` ("s", "m", "l", "xl"),
``page_heading``, ``classes`` (on the input, select, textarea or the radios/checkboxes block, e.g.
"govuk-input--width-10"), ``form_group_classes``, ``inline`` and ``small`` (radios and
checkboxes), ``optional`` (False drops the automatic " (optional)" after the label), ``attributes``,
``autocomplete``, ``spellcheck``, ``inputmode``, ``prefix``, ``suffix``, ``rows``, ``item_hints``
(choice value -> hint), ``conditionals`` (choice value -> HTML revealed when chosen) or
``conditional_for`` with ``conditional_html`` (one of them, from a template), ``javascript``
(the enhanced file upload). ``label`` and ``hint`` may be safe HTML (``format_html``).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator, validate_email
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.template import loader
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

SIZES = ("s", "m", "l", "xl")
DATE_PARTS = ("day", "month", "year")

OPTIONS = frozenset(
    {
        "label",
        "hint",
        "size",
        "page_heading",
        "classes",
        "form_group_classes",
        "inline",
        "small",
        "optional",
        "attributes",
        "autocomplete",
        "spellcheck",
        "inputmode",
        "prefix",
        "suffix",
        "rows",
        "item_hints",
        "conditionals",
        "conditional_for",
        "conditional_html",
        "javascript",
    }
)

# Widget attributes the GOV.UK markup sets itself, or that GOV.UK advises against (the browser's
# required and maxlength checks: the server validates and says what is wrong in words).
_MANAGED_ATTRIBUTES = frozenset(
    {"class", "id", "name", "type", "value", "cols", "rows", "required", "maxlength", "minlength"}
)

_DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
_EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


class GovukFormRenderer(DjangoTemplates):
    """Renders forms and fields with PutRight's templates; widgets as Django does.

    Django's own renderer only looks in installed apps' template folders; the form and field
    templates live in the project's ``putright/templates``, so those two come from the project's
    template engine.
    """

    form_template_name = "forms/govuk/form.html"
    field_template_name = "forms/govuk/field.html"

    def get_template(self, template_name: str):
        if template_name.startswith("forms/govuk/"):
            return loader.get_template(template_name)
        return super().get_template(template_name)


# --- Dates ---------------------------------------------------------------------------------


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes, named ``<name>_day``, ``<name>_month`` and ``<name>_year``."""

    def __init__(self, attrs: dict | None = None):
        widgets = {part: forms.TextInput() for part in DATE_PARTS}
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_NAMES["sept"] = 9


def _and_join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK error messages.

    An impossible or incomplete date is kept exactly as typed, so the page shows it back with
    the part that is wrong highlighted (the error's ``params["parts"]``). Month names ("Jan",
    "March") are accepted as well as numbers. ``error_label`` is the words used in messages
    ("Date received must include a month"); by default the field's label.
    """

    widget = GovukDateInput
    default_error_messages = {
        "required": "Enter %(label)s",
        "incomplete": "%(Label)s must include a %(missing)s",
        "invalid": "%(Label)s must be a real date",
        "year": "Year must include 4 numbers",
    }

    def __init__(self, *, error_label: str | None = None, **kwargs):
        self.error_label = error_label
        super().__init__(**kwargs)

    def _error(self, code: str, parts: Iterable[str], **params) -> ValidationError:
        label = self.error_label or self.label or "date"
        params = {"label": _lower_first(label), "Label": _upper_first(label), **params}
        return ValidationError(
            self.error_messages[code], code=code, params={**params, "parts": list(parts)}
        )

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if not isinstance(value, list | tuple):
            value = [None, None, None]
        day, month, year = (str(v or "").strip() for v in value)
        if not (day or month or year):
            return None
        typed_parts = zip(DATE_PARTS, (day, month, year), strict=True)
        missing = [part for part, typed in typed_parts if not typed]
        if missing:
            raise self._error("incomplete", missing, missing=_and_join(missing))
        month_number = _MONTH_NAMES.get(month.lower(), month)
        not_numbers = [
            part
            for part, typed in zip(DATE_PARTS, (day, str(month_number), year), strict=True)
            if not typed.isdigit()
        ]
        if not_numbers:
            raise self._error("invalid", not_numbers)
        if len(year) != 4:
            raise self._error("year", ["year"])
        day_n, month_n, year_n = int(day), int(month_number), int(year)
        if not 1 <= month_n <= 12:
            raise self._error("invalid", ["month"])
        try:
            return datetime.date(year_n, month_n, day_n)
        except ValueError:
            raise self._error("invalid", ["day"]) from None

    def validate(self, value: datetime.date | None) -> None:
        if value is None and self.required:
            raise self._error("required", DATE_PARTS)

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return self.to_python(initial) != data


# --- Forms ---------------------------------------------------------------------------------


class GovukFormMixin:
    """Mix into any Django form: GOV.UK markup, and GOV.UK wording for common errors.

    Model date fields in a ModelForm become :class:`GovukDateField` (day, month and year boxes).
    """

    default_renderer = GovukFormRenderer
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        declared = getattr(self, "declared_fields", {})
        for name, field in list(self.fields.items()):
            if type(field) is forms.DateField and name not in declared:
                # A model's DateField, which Django would render as one text box.
                self.fields[name] = GovukDateField(
                    required=field.required,
                    label=field.label,
                    help_text=field.help_text,
                    initial=field.initial,
                    validators=field.validators,
                    disabled=field.disabled,
                )
        for name, field in self.fields.items():
            label = str(self[name].label)
            if isinstance(field, GovukDateField):
                field.error_label = field.error_label or label
            elif field.error_messages.get("required") == _DJANGO_REQUIRED:
                verb = "Select" if _chooses(field) else "Enter"
                field.error_messages["required"] = f"{verb} {_lower_first(label)}"
            if getattr(field, "max_length", None):
                # GOV.UK wording, naming the field: "Who received it must be 200 characters or
                # fewer" (Django's says "Ensure this value has at most ...").
                limit = field.max_length
                field.validators = [
                    MaxLengthValidator(
                        limit, message=f"{label} must be {limit:,} characters or fewer"
                    )
                    if isinstance(v, MaxLengthValidator)
                    else v
                    for v in field.validators
                ]
            if isinstance(field, forms.EmailField):
                field.validators = [
                    EmailValidator(message=_EMAIL_FORMAT)
                    if isinstance(v, EmailValidator) and v.message == validate_email.message
                    else v
                    for v in field.validators
                ]


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


def _chooses(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.FileField | forms.BooleanField) or (
        isinstance(field.widget, forms.Select | forms.RadioSelect | forms.CheckboxInput)
    )


def _lower_first(text: str) -> str:
    # "Email address" -> "email address", but "MP's name" and "I agree" stay as they are.
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Rendering -----------------------------------------------------------------------------


def field_kind(bound_field: BoundField) -> str:
    """Which GOV.UK component renders this field."""
    widget = bound_field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, GovukDateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):  # also SelectMultiple
        return "select"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.widgets.Input):
        return "input"
    return "other"


def field_anchor(bound_field: BoundField) -> str:
    """The id of the element an error summary link for this field goes to."""
    base = _field_id(bound_field)
    if field_kind(bound_field) == "date":
        parts = _error_parts(bound_field)
        return f"{base}_{parts[0] if parts else 'day'}"
    return base


def _field_id(bound_field: BoundField) -> str:
    return bound_field.auto_id or bound_field.html_name


def _error_parts(bound_field: BoundField) -> list[str]:
    errors = bound_field.form.errors.get(bound_field.name)
    if not errors:
        return []
    for error in errors.as_data():
        parts = (error.params or {}).get("parts")
        if parts:
            return [part for part in DATE_PARTS if part in parts]
    return list(DATE_PARTS)


def render_field(bound_field: BoundField, **options: Any) -> SafeString:
    """The GOV.UK markup for one bound field (see the module docstring for the options)."""
    unknown = set(options) - OPTIONS
    if unknown:
        raise TypeError(f"Unknown govuk_field option(s) for {bound_field.name}: {sorted(unknown)}")
    kind = field_kind(bound_field)
    if kind == "hidden":
        return SafeString(str(bound_field))
    template_name, context = _BUILDERS[kind](bound_field, options)
    return mark_safe(loader.render_to_string(template_name, context))


def _common(bound_field: BoundField, options: Mapping[str, Any], *, fieldset: bool) -> dict:
    field = bound_field.field
    label = options.get("label", bound_field.label)
    optional = options.get("optional")
    if optional is None:
        optional = not field.required and not isinstance(field.widget, forms.CheckboxInput)
    if optional and label:
        label = format_html("{} (optional)", label)
    hint = options.get("hint", field.help_text) or ""
    size = options.get("size") or ("l" if options.get("page_heading") else None)
    if size is not None and size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    if fieldset:
        size_classes = f"govuk-fieldset__legend--{size}" if size else ""
    else:
        size_classes = f"govuk-label--{size}" if size else ""
    widget_classes = field.widget.attrs.get("class", "")
    attributes = {
        key: value for key, value in field.widget.attrs.items() if key not in _MANAGED_ATTRIBUTES
    }
    for key in ("autocomplete", "inputmode"):
        if options.get(key):
            attributes[key] = options[key]
    if options.get("spellcheck") is not None:
        attributes["spellcheck"] = "true" if options["spellcheck"] else "false"
    attributes.update(options.get("attributes") or {})
    if field.disabled:
        attributes["disabled"] = True
    errors = bound_field.errors
    context = {
        "id": _field_id(bound_field),
        "name": bound_field.html_name,
        "hint": hint,
        "error_message": errors[0] if errors else "",
        "classes": " ".join(c for c in (widget_classes, options.get("classes", "")) if c),
        "form_group_classes": options.get("form_group_classes", ""),
        "is_page_heading": bool(options.get("page_heading")),
        "attributes": attributes,
    }
    if fieldset:
        context.update(legend=label, legend_classes=size_classes)
    else:
        context.update(label=label, label_classes=size_classes)
    return context


def _input(bound_field: BoundField, options: Mapping[str, Any]) -> tuple[str, dict]:
    widget = bound_field.field.widget
    context = _common(bound_field, options, fieldset=False)
    input_type = getattr(widget, "input_type", "text")
    if input_type == "number":
        # GOV.UK: a number input changes values on scroll and drops leading zeros; use text.
        input_type = "text"
        step = str(widget.attrs.get("step", ""))
        context["attributes"].setdefault(
            "inputmode", "decimal" if step and step not in ("1", "") else "numeric"
        )
        context["attributes"].pop("step", None)
        context["attributes"].pop("min", None)
        context["attributes"].pop("max", None)
    if input_type == "email":
        context["attributes"].setdefault("spellcheck", "false")
    value = bound_field.value()
    if isinstance(widget, forms.PasswordInput) and not widget.render_value:
        value = None
    else:
        value = widget.format_value(value)
    context.update(
        type=input_type,
        value=value,
        prefix=options.get("prefix", ""),
        suffix=options.get("suffix", ""),
    )
    return "components/input.html", context


def _textarea(bound_field: BoundField, options: Mapping[str, Any]) -> tuple[str, dict]:
    context = _common(bound_field, options, fieldset=False)
    value = bound_field.field.widget.format_value(bound_field.value())
    # A limited textarea is a GOV.UK character count: it tells the person how many characters
    # are left rather than cutting off what they paste (so no maxlength attribute).
    maxlength = getattr(bound_field.field, "max_length", None)
    context["attributes"].pop("maxlength", None)
    context.update(value=value or "", rows=options.get("rows", 5), maxlength=maxlength)
    return "components/textarea.html", context


def _choice_items(bound_field: BoundField, options: Mapping[str, Any]) -> list[dict]:
    hints = options.get("item_hints") or getattr(bound_field.field, "item_hints", None) or {}
    conditionals = dict(options.get("conditionals") or {})
    if options.get("conditional_for") is not None:
        conditionals[str(options["conditional_for"])] = options.get("conditional_html", "")
    hints = {str(key): value for key, value in hints.items()}
    conditionals = {str(key): value for key, value in conditionals.items()}
    base_id = _field_id(bound_field)
    items = []
    for subwidget in bound_field.subwidgets:
        data = subwidget.data
        value = "" if data["value"] is None else str(data["value"])
        if value == "":
            continue  # the blank choice: radios and checkboxes need none
        index = len(items) + 1
        items.append(
            {
                # The first item's id is the field's own, so error summary links land on it.
                "id": base_id if index == 1 else f"{base_id}-{index}",
                "value": value,
                "text": data["label"],
                "checked": data["selected"],
                "hint": hints.get(value, ""),
                "conditional_html": conditionals.get(value, ""),
            }
        )
    return items


def _choices(
    bound_field: BoundField, options: Mapping[str, Any], component: str
) -> tuple[str, dict]:
    context = _common(bound_field, options, fieldset=True)
    modifiers = []
    if options.get("inline"):
        modifiers.append(f"govuk-{component}--inline")
    if options.get("small"):
        modifiers.append(f"govuk-{component}--small")
    context["classes"] = " ".join(c for c in (*modifiers, context["classes"]) if c)
    items = _choice_items(bound_field, options)
    if context["attributes"].pop("disabled", False):
        for item in items:
            item["disabled"] = True
    context.update(id_prefix=context["id"], items=items)
    return f"components/{component}.html", context


def _radios(bound_field: BoundField, options: Mapping[str, Any]) -> tuple[str, dict]:
    return _choices(bound_field, options, "radios")


def _checkboxes(bound_field: BoundField, options: Mapping[str, Any]) -> tuple[str, dict]:
    return _choices(bound_field, options, "checkboxes")


def _checkbox(bound_field: BoundField, options: Mapping[str, Any]) -> tuple[str, dict]:
    """A single yes/no checkbox: the label is the item's text, with no fieldset around it."""
    context = _common(bound_field, options, fieldset=True)
    field = bound_field.field
    checked = field.widget.check_test(bound_field.value())
    item = {
        "id": context["id"],
        "value": "true",
        "text": context.pop("legend"),
        "checked": checked,
        "hint": context["hint"],
    }
    context.update(
        legend="",
        hint="",
        classes=" ".join(
            c
            for c in ("govuk-checkboxes--small" if options.get("small") else "", context["classes"])
            if c
        ),
        id_prefix=context["id"],
        items=[item],
    )
    return "components/checkboxes.html", context


def _select(bound_field: BoundField, options: Mapping[str, Any]) -> tuple[str, dict]:
    context = _common(bound_field, options, fieldset=False)
    items = []
    for subwidget in bound_field.subwidgets:
        data = subwidget.data
        value = "" if data["value"] is None else str(data["value"])
        text = data["label"]
        if value == "" and text == "---------":
            text = ""  # Django's blank choice: GOV.UK shows an empty first option
        items.append({"value": value, "text": text, "selected": data["selected"]})
    if getattr(bound_field.field.widget, "allow_multiple_selected", False):
        context["attributes"]["multiple"] = True
    context["items"] = items
    return "components/select.html", context


def _file(bound_field: BoundField, options: Mapping[str, Any]) -> tuple[str, dict]:
    context = _common(bound_field, options, fieldset=False)
    widget = bound_field.field.widget
    context["attributes"].pop("value", None)
    if getattr(widget, "allow_multiple_selected", False):
        context["attributes"]["multiple"] = True
    context["javascript"] = bool(options.get("javascript"))
    return "components/file_upload.html", context


def _date(bound_field: BoundField, options: Mapping[str, Any]) -> tuple[str, dict]:
    context = _common(bound_field, options, fieldset=True)
    value = bound_field.value()
    if not isinstance(value, list | tuple):
        value = bound_field.field.widget.decompress(value)
    error_parts = _error_parts(bound_field)
    context["items"] = [
        {
            "id": f"{context['id']}_{part}",
            "name": f"{bound_field.html_name}_{part}",
            "label": part.capitalize(),
            "value": "" if typed is None else str(typed),
            "classes": "govuk-input--width-4" if part == "year" else "govuk-input--width-2",
            "error": part in error_parts,
        }
        for part, typed in zip(DATE_PARTS, value, strict=True)
    ]
    return "components/date_input.html", context


def _other(bound_field: BoundField, options: Mapping[str, Any]) -> tuple[str, dict]:
    """Any other widget: Django renders the control; GOV.UK provides label, hint and error."""
    context = _common(bound_field, options, fieldset=False)
    context["control"] = bound_field.as_widget()
    return "components/form_group.html", context


_BUILDERS = {
    "input": _input,
    "textarea": _textarea,
    "radios": _radios,
    "checkboxes": _checkboxes,
    "checkbox": _checkbox,
    "select": _select,
    "file": _file,
    "date": _date,
    "other": _other,
}


def error_summary_items(*forms_: forms.BaseForm | None) -> list[dict[str, str]]:
    """Every error on these forms, in page order, each linking to its field.

    Errors that belong to no field (``form.add_error(None, …)``, or a ``DomainError`` without
    a field) come first and link to the form's first field.
    """
    items: list[dict[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        visible = form.visible_fields()
        first_anchor = f"#{field_anchor(visible[0])}" if visible else ""
        for error in form.non_field_errors():
            items.append({"text": error, "href": first_anchor})
        for bound_field in form:
            if bound_field.errors and not bound_field.is_hidden:
                items.append(
                    {"text": bound_field.errors[0], "href": f"#{field_anchor(bound_field)}"}
                )
            elif bound_field.errors:
                for error in bound_field.errors:
                    items.append({"text": error, "href": first_anchor})
    return items


def render_error_summary(
    *forms_: forms.BaseForm | None, title: str = "There is a problem"
) -> SafeString:
    """The GOV.UK error summary for these forms, or nothing when none has an error."""
    errors = error_summary_items(*forms_)
    if not errors:
        return SafeString("")
    return mark_safe(
        loader.render_to_string("components/error_summary.html", {"title": title, "errors": errors})
    )


def html_attributes(attributes: Mapping[str, Any] | None) -> SafeString:
    """`` key="value"`` pairs for a tag; True gives a bare attribute, False and None nothing."""
    if not attributes:
        return SafeString("")
    parts = []
    for key, value in attributes.items():
        if value is None or value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(key)}")
        else:
            parts.append(f' {conditional_escape(key)}="{conditional_escape(value)}"')
    return mark_safe("".join(parts))

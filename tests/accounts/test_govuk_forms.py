"""GOV.UK markup for Django forms (putright.core.forms and the govuk template tags).

These live with the accounts tests because the sign-in form is their first user; every later
form renders through the same code.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from putright.core.forms import (
    GovukDateField,
    GovukForm,
    GovukModelForm,
    error_summary_items,
    render_error_summary,
    render_field,
)
from putright.organisation.models import ClosureDay

VOID = {"input", "br", "img", "meta", "link", "hr"}


class TagBalance(HTMLParser):
    """Fails on a closing tag that does not match the open one: catches broken templates."""

    def __init__(self):
        super().__init__()
        self.stack = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def well_formed(html: str) -> str:
    parser = TagBalance()
    parser.feed(html)
    assert parser.stack == [], f"unclosed: {parser.stack}"
    return html


def ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


class ComplaintForm(GovukForm):
    name = forms.CharField(label="Full name", help_text="As it appears on the tenancy")
    email = forms.EmailField(label="Email address", required=False)
    homes = forms.IntegerField(label="Number of homes")
    details = forms.CharField(label="What happened", widget=forms.Textarea)
    channel = forms.ChoiceField(
        label="How did they complain?",
        choices=[("phone", "Phone"), ("email", "Email"), ("letter", "Letter")],
        widget=forms.RadioSelect,
    )
    needs = forms.MultipleChoiceField(
        label="Adjustments",
        choices=[("large", "Large print"), ("bsl", "British Sign Language")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    category = forms.ChoiceField(
        label="Category", choices=[("", "---------"), ("repairs", "Repairs"), ("asb", "ASB")]
    )
    received = GovukDateField(label="Date received")
    vulnerable = forms.BooleanField(label="The resident is vulnerable", required=False)
    evidence = forms.FileField(label="Evidence", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


VALID = {
    "name": "Ann Example",
    "homes": "3",
    "details": "The boiler broke",
    "channel": "email",
    "category": "repairs",
    "received_day": "3",
    "received_month": "Feb",
    "received_year": "2026",
}


def test_an_unbound_form_renders_every_field_well_formed():
    html = well_formed(str(ComplaintForm()))

    assert len(ids(html)) == len(set(ids(html))), "ids must be unique"
    assert '<label class="govuk-label" for="id_name">Full name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As it appears on the tenancy</div>' in html
    assert 'aria-describedby="id_name-hint"' in html
    assert "Email address (optional)" in html
    assert 'type="email"' in html and 'spellcheck="false"' in html
    assert 'name="homes" type="text"' in html and 'inputmode="numeric"' in html
    assert "required" not in html and "maxlength" not in html
    assert '<textarea class="govuk-textarea" id="id_details" name="details" rows="5"' in html
    assert '<legend class="govuk-fieldset__legend">How did they complain?</legend>' in html
    assert 'id="id_channel" name="channel" type="radio" value="phone"' in html
    assert 'id="id_channel-2" name="channel" type="radio" value="email"' in html
    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes"' in html
    assert '<option value="" selected></option>' in html  # Django's "---------" blanked
    assert 'id="id_received_day" name="received_day"' in html
    assert 'id="id_received_year" name="received_year"' in html
    assert 'class="govuk-fieldset" role="group"' in html
    assert 'id="id_vulnerable" name="vulnerable" type="checkbox" value="true"' in html
    assert 'class="govuk-file-upload" id="id_evidence" name="evidence" type="file"' in html
    assert '<input type="hidden" name="token" id="id_token">' in html


def test_a_field_renders_the_same_through_the_tag_and_as_field_group():
    form = ComplaintForm()
    tag = Template("{% load govuk %}{% govuk_field form.name %}").render(Context({"form": form}))

    assert tag.strip() == form["name"].as_field_group()


def test_what_was_typed_is_kept_and_errors_shown_beside_fields():
    form = ComplaintForm(
        data={
            **VALID,
            "name": "",
            "email": "not an email",
            "received_month": "13",
            "needs": ["bsl"],
            "vulnerable": "true",
        }
    )
    assert not form.is_valid()

    html = well_formed(str(form))

    assert "govuk-form-group--error" in html
    assert '<p id="id_name-error" class="govuk-error-message">' in html
    assert "Enter full name" in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert 'value="not an email"' in html
    assert "Enter an email address in the correct format, like name@example.com" in html
    assert 'name="received_month" type="text" inputmode="numeric" value="13"' in html
    assert "Date received must be a real date" in html
    assert re.search(r'class="[^"]*govuk-input--error"[^>]*id="id_received_month"', html)
    assert not re.search(r'class="[^"]*govuk-input--error"[^>]*id="id_received_day"', html)
    assert 'value="bsl" checked' in html
    assert 'value="email" checked' in html
    assert 'name="vulnerable" type="checkbox" value="true" checked' in html
    assert '<option value="repairs" selected>' in html


def test_the_error_summary_lists_errors_in_page_order_linking_to_fields():
    form = ComplaintForm(
        data={**VALID, "name": "", "channel": "", "received_day": "", "received_month": ""}
    )
    form.is_valid()
    form.add_error(None, "This resident has a complaint open already")

    assert error_summary_items(form) == [
        {"text": "This resident has a complaint open already", "href": "#id_name"},
        {"text": "Enter full name", "href": "#id_name"},
        {"text": "Select how did they complain?", "href": "#id_channel"},
        {"text": "Date received must include a day and month", "href": "#id_received_day"},
    ]
    html = well_formed(render_error_summary(form))
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert 'data-module="govuk-error-summary"' in html


def test_no_error_summary_without_errors():
    assert render_error_summary(ComplaintForm()) == ""
    assert render_error_summary(ComplaintForm(data=VALID)) == ""


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "parts"),
    [
        ("", "", "", "Enter date received", ["day", "month", "year"]),
        ("3", "", "2026", "Date received must include a month", ["month"]),
        ("", "", "2026", "Date received must include a day and month", ["day", "month"]),
        ("31", "2", "2026", "Date received must be a real date", ["day"]),
        ("3", "13", "2026", "Date received must be a real date", ["month"]),
        ("x", "2", "2026", "Date received must be a real date", ["day"]),
        ("3", "2", "26", "Year must include 4 numbers", ["year"]),
    ],
)
def test_date_errors_follow_the_design_system(day, month, year, message, parts):
    form = ComplaintForm(
        data={**VALID, "received_day": day, "received_month": month, "received_year": year}
    )

    assert not form.is_valid()
    error = form.errors.as_data()["received"][0]
    assert error.message % error.params == message
    assert error.params["parts"] == parts


@pytest.mark.parametrize("month", ["2", "02", "feb", "February", " FEB "])
def test_a_date_accepts_month_numbers_and_names(month):
    form = ComplaintForm(data={**VALID, "received_month": month})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["received"] == datetime.date(2026, 2, 3)


def test_a_date_shows_its_initial_value():
    form = ComplaintForm(initial={"received": datetime.date(2025, 12, 24)})

    html = render_field(form["received"])

    assert 'name="received_day" type="text" inputmode="numeric" value="24"' in html
    assert 'name="received_month" type="text" inputmode="numeric" value="12"' in html
    assert 'name="received_year" type="text" inputmode="numeric" value="2025"' in html


def test_options_change_the_markup():
    form = ComplaintForm()

    heading = render_field(
        form["name"], page_heading=True, hint="", classes="govuk-input--width-20"
    )
    assert heading.startswith('<div class="govuk-form-group">')
    assert '<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l"' in heading
    assert "govuk-input govuk-input--width-20" in heading
    assert "govuk-hint" not in heading

    radios = render_field(
        form["channel"], size="m", inline=True, item_hints={"phone": "Includes text messages"}
    )
    assert "govuk-fieldset__legend--m" in radios
    assert "govuk-radios govuk-radios--inline" in radios
    assert 'aria-describedby="id_channel-item-hint"' in radios

    reveal = render_field(form["channel"], conditional_for="letter", conditional_html="<p>x</p>")
    assert 'data-aria-controls="conditional-id_channel-3"' in reveal
    assert "govuk-radios__conditional--hidden" in reveal
    assert "&lt;p&gt;x&lt;/p&gt;" in reveal  # a plain string is escaped; pass safe HTML

    money = render_field(form["homes"], prefix="£", suffix="per week")
    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in money
    assert well_formed(money)

    assert "(optional)" not in render_field(form["email"], optional=False)


def test_an_unknown_option_is_an_error():
    with pytest.raises(TypeError, match="lable"):
        render_field(ComplaintForm()["name"], lable="Name")


def test_required_messages_default_to_the_design_system_wording():
    form = ComplaintForm(data={})
    form.is_valid()

    assert form.errors["name"] == ["Enter full name"]
    assert form.errors["channel"] == ["Select how did they complain?"]
    assert form.errors["category"] == ["Select category"]
    assert form.errors["received"] == ["Enter date received"]


COMPONENTS = {
    "button": {"text": "Save", "classes": "govuk-button--secondary", "name": "a", "value": "b"},
    "input": {"name": "q", "label": "Search", "hint": "Name or reference", "error_message": "Bad"},
    "textarea": {"name": "t", "label": "Notes", "value": "Hello"},
    "select": {"name": "s", "label": "Sort", "items": [{"value": "a", "text": "A"}]},
    "radios": {"name": "r", "legend": "Pick", "items": [{"value": "a", "text": "A", "hint": "h"}]},
    "checkboxes": {"name": "c", "legend": "Pick", "items": [{"value": "a", "text": "A"}]},
    "date_input": {
        "id": "d",
        "legend": "When",
        "items": [{"id": "d_day", "name": "d_day", "label": "Day", "value": "1"}],
    },
    "file_upload": {"name": "f", "label": "File", "javascript": True},
    "error_summary": {"errors": [{"text": "Enter a name", "href": "#name"}]},
    "error_message": {"text": "Enter a name", "id": "name-error"},
    "tag": {"text": "Overdue", "classes": "govuk-tag--red"},
    "table": {
        "caption": "Cases",
        "head": [{"text": "Reference"}, {"text": "Days", "format": "numeric"}],
        "rows": [[{"text": "HC-1"}, {"text": "3", "format": "numeric"}]],
        "first_cell_is_header": True,
    },
    "summary_list": {
        "card_title": "Resident",
        "rows": [
            {
                "key": "Name",
                "value": "Ann",
                "actions": [{"href": "#", "text": "Change", "visually_hidden_text": "name"}],
            },
            {"key": "Phone", "value": "01632 960001"},
        ],
    },
    "notification_banner": {"type": "success", "text": "Complaint logged"},
    "panel": {"title": "Complaint logged", "text": "Reference HC-1"},
    "inset_text": {"text": "Stage 1"},
    "warning_text": {"text": "Overdue"},
    "details": {"summary": "Help", "text": "More"},
    "back_link": {"href": "/"},
    "moj_badge": {"text": "Urgent", "classes": "moj-badge--red"},
    "moj_sub_navigation": {"items": [{"text": "Summary", "href": "#", "active": True}]},
    "moj_timeline": {
        "items": [
            {
                "title": "Complaint logged",
                "byline": "Cara Handler",
                "datetime": datetime.datetime(2026, 6, 10, 15, 15, tzinfo=datetime.UTC),
                "text": "By phone",
            }
        ]
    },
    "moj_button_menu": {"items": [{"text": "Extend", "href": "#"}, {"text": "Withdraw"}]},
    "service_navigation": {
        "items": [{"label": "Home", "url": "/", "current": True}],
        "current_path": "/",
    },
}


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_every_component_include_renders_well_formed(name):
    html = Template(f'{{% include "components/{name}.html" %}}').render(Context(COMPONENTS[name]))

    assert well_formed(html).strip()


def test_the_timeline_shows_london_time():
    html = Template('{% include "components/moj_timeline.html" %}').render(
        Context(COMPONENTS["moj_timeline"])
    )

    assert "10 June 2026 at 4:15pm" in html  # 15:15 UTC is 16:15 BST


@pytest.mark.django_db  # a RequestContext runs the context processors
def test_pagination_keeps_the_query_string():
    from django.core.paginator import Paginator

    page = Paginator(list(range(100)), 10).page(5)
    request = RequestFactory().get("/cases/", {"status": "open", "page": "5"})

    html = Template('{% include "components/pagination.html" with page_obj=page only %}').render(
        RequestContext(request, {"page": page})
    )

    assert well_formed(html)
    assert 'href="?status=open&amp;page=4" rel="prev"' in html
    assert 'href="?status=open&amp;page=6" rel="next"' in html
    assert 'aria-label="Page 5" aria-current="page"' in html
    assert "govuk-pagination__item--ellipsis" in html


def test_capture_passes_a_block_of_html_to_a_component():
    html = Template(
        '{% load govuk %}{% govuk_capture as body %}<p class="govuk-body">{{ name }}</p>'
        '{% endgovuk_capture %}{% include "components/details.html" with summary="Why" html=body %}'
    ).render(Context({"name": "<script>"}))

    assert '<p class="govuk-body">&lt;script&gt;</p>' in html


class ClosureDayForm(GovukModelForm):
    """Any model with a DateField will do: the organisation's closure days have one."""

    class Meta:
        model = ClosureDay
        fields = ["date", "description"]


@pytest.mark.django_db
def test_a_model_forms_date_fields_become_day_month_year():
    form = ClosureDayForm(initial={"date": datetime.date(2026, 12, 29)})

    assert isinstance(form.fields["date"], GovukDateField)
    html = render_field(form["date"])
    assert 'name="date_day" type="text" inputmode="numeric" value="29"' in html

    bound = ClosureDayForm(
        data={"date_day": "29", "date_month": "12", "date_year": "2026", "description": "Shut"}
    )
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["date"] == datetime.date(2026, 12, 29)


def test_a_disabled_choice_field_disables_each_item():
    form = ComplaintForm()
    form.fields["channel"].disabled = True

    html = render_field(form["channel"])

    assert html.count(" disabled") == 3
    assert 'class="govuk-radios" data-module="govuk-radios">' in html


class LimitedForm(GovukForm):
    received_by = forms.CharField(label="Who received it", max_length=200)
    summary = forms.CharField(label="Summary", max_length=1000, widget=forms.Textarea)


def test_a_length_limit_is_named_in_the_error_the_govuk_way():
    form = LimitedForm(data={"received_by": "x" * 201, "summary": "y" * 1001})

    assert not form.is_valid()
    assert form.errors["received_by"] == ["Who received it must be 200 characters or fewer"]
    assert form.errors["summary"] == ["Summary must be 1,000 characters or fewer"]


def test_a_limited_textarea_is_a_character_count_that_keeps_what_was_typed():
    form = LimitedForm(data={"received_by": "Reception", "summary": "y" * 1001})
    form.is_valid()

    html = Template("{% load govuk %}{% govuk_field form.summary %}").render(
        Context({"form": form})
    )

    assert 'data-module="govuk-character-count" data-maxlength="1000"' in html
    assert 'class="govuk-textarea govuk-js-character-count govuk-textarea--error"' in html
    assert 'id="id_summary-info" class="govuk-hint govuk-character-count__message"' in html
    assert "You can enter up to 1000 characters" in html
    assert 'aria-describedby="id_summary-info id_summary-error"' in html
    assert " maxlength=" not in html  # the count warns; it never cuts off what was pasted
    assert "y" * 1001 in html

# ruff: noqa: F811  (the fixtures imported from test_intake_actions)
"""Letters on the caseworking screens: each step's confirmation page shows its letter as it will
go, confirming issues both, and the case shows the letter and where it has got to.

Dates as in ``test_intake_actions``: received Monday 2 November 2026, acknowledged Tuesday
3 November, response due Tuesday 17 November.
"""

from __future__ import annotations

import pytest

from putright.complaints import services
from putright.complaints.models import Channel, Correspondence, Status
from putright.letters.models import IssuedLetter
from putright.organisation.selectors import get_organisation
from tests.casework.test_intake_actions import (  # noqa: F401  (fixtures)
    RECEIVED,
    D,
    _media,
    acknowledge_data,
    acknowledged,
    case_url,
    date_data,
    extend_data,
    handler,
    page,
    signed_in,
    url,
)
from tests.people.factories import ResidentFactory


@pytest.fixture
def complaint(handler):
    """As in test_intake_actions, from a resident with a postal address: letters go by post."""
    return services.complaint_log(
        acting_user=handler,
        complainant=ResidentFactory(
            first_name="Jo", last_name="Bloggs", correspondence_address="4 Canal Row\nGW2 2BQ"
        ),
        channel=Channel.PHONE,
        received_at=RECEIVED,
        description="Nobody has fixed the damp in my bedroom since May.",
    )


def _unconfirmed(data: dict) -> dict:
    return {name: value for name, value in data.items() if name != "confirmed"}


def test_acknowledging_shows_the_letter_first_and_records_nothing(signed_in, complaint):
    response = signed_in.post(
        url("acknowledge", complaint), _unconfirmed(acknowledge_data(complaint))
    )

    assert response.status_code == 200
    html = page(response)
    assert "Check before you acknowledge" in html
    assert "We have received your complaint" in html  # the letter's heading
    assert 'id="letter-complete"' in html
    assert "Damp in the bedroom" in html and "The council&#x27;s bins" in html
    assert "printed for you to post" in html
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert not IssuedLetter.objects.exists()


def test_confirming_the_acknowledgement_issues_its_letter(signed_in, complaint):
    response = signed_in.post(url("acknowledge", complaint), acknowledge_data(complaint))

    assert response.status_code == 302
    letter = IssuedLetter.objects.get(complaint=complaint)
    assert (letter.type_key, letter.dated) == ("stage1_acknowledgement", D(2026, 11, 3))
    html = page(signed_in.get(case_url(complaint) + "?show=correspondence"))
    assert "Letter to resident: We have received your complaint" in html
    assert url("letter", complaint, pk=letter.pk) in html
    assert "For post: print it and record the date it went." in html


def test_a_letter_missing_an_element_stops_the_step_and_says_why(signed_in, complaint):
    organisation = get_organisation()
    organisation.name = ""
    organisation.save()

    response = signed_in.post(
        url("acknowledge", complaint), _unconfirmed(acknowledge_data(complaint))
    )

    assert response.status_code == 400
    html = page(response)
    assert "govuk-error-summary" in html
    assert "The letter: Replace the filler text" in html and "[organisation name]" in html
    assert "Damp in the bedroom" in html and "Asthma in the household" in html  # kept
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_the_extension_confirmation_shows_the_notice(signed_in, acknowledged):
    data = {name: value for name, value in extend_data(acknowledged).items() if name != "confirmed"}

    html = page(signed_in.post(url("extend", acknowledged), data))

    assert "We need more time to respond to your complaint" in html
    assert "Awaiting a damp survey" in html
    assert "24 November 2026" in html


def test_the_letter_page_shows_the_letter_and_records_its_posting(signed_in, complaint, handler):
    signed_in.post(url("acknowledge", complaint), acknowledge_data(complaint))
    letter = IssuedLetter.objects.get(complaint=complaint)
    letter_url = url("letter", complaint, pk=letter.pk)

    case_page = page(signed_in.get(case_url(complaint)))
    assert 'id="letters-to-send"' in case_page and letter_url in case_page
    html = page(signed_in.get(letter_url))
    assert "We have received your complaint" in html
    assert "Record that it was posted" in html
    assert "Dear " in html

    response = signed_in.post(
        letter_url, {"version": complaint.version, **date_data("posted_on", D(2026, 11, 4))}
    )

    assert response.status_code == 302
    entry = Correspondence.objects.get(complaint=complaint)
    assert (entry.channel, entry.direction, entry.happened_on) == ("letter", "out", D(2026, 11, 4))
    html = page(signed_in.get(letter_url))
    assert "Posted on 4 November 2026." in html
    assert "Record that it was posted" not in html
    assert 'id="letters-to-send"' not in page(signed_in.get(case_url(complaint)))
    assert signed_in.post(letter_url, {"version": complaint.version}).status_code == 404


def test_a_letter_is_found_only_under_its_own_complaint(signed_in, complaint, handler):
    other = services.complaint_log(
        acting_user=handler,
        complainant=ResidentFactory(),
        channel=Channel.PHONE,
        received_at=RECEIVED,
        description="The lift is broken.",
    )
    signed_in.post(url("acknowledge", other), acknowledge_data(other))
    letter = IssuedLetter.objects.get(complaint=other)

    assert signed_in.get(url("letter", other, pk=letter.pk)).status_code == 200
    assert signed_in.get(url("letter", complaint, pk=letter.pk)).status_code == 404


@pytest.mark.parametrize("posted_on", [D(2026, 11, 2), D(2030, 1, 1)])
def test_a_posting_date_before_the_letter_or_in_the_future_is_refused(
    signed_in, complaint, posted_on
):
    signed_in.post(url("acknowledge", complaint), acknowledge_data(complaint))
    letter = IssuedLetter.objects.get(complaint=complaint)

    response = signed_in.post(
        url("letter", complaint, pk=letter.pk),
        {"version": complaint.version, **date_data("posted_on", posted_on)},
    )

    assert response.status_code == 400
    letter.refresh_from_db()
    assert letter.posted_on is None


def test_the_handler_rewrites_a_section_and_sees_the_letter_again(signed_in, complaint):
    data = {
        **acknowledge_data(complaint),
        "preview": "yes",
        "letter-responsibilities": "We look into both points.\n\n- The bins are the council's.",
    }

    html = page(signed_in.post(url("acknowledge", complaint), data))

    assert "Check before you acknowledge" in html
    assert "<li>The bins are the council&#x27;s.</li>" in html  # in the letter, as a list
    assert 'name="letter-responsibilities"' in html
    assert 'name="letter-responsibilities" value=' not in html  # a box, not a hidden copy
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_the_letter_goes_with_the_handlers_words_and_the_history_says_so(signed_in, complaint):
    data = {
        **acknowledge_data(complaint),
        "letter-responsibilities": "We will look into both points.",
    }

    assert signed_in.post(url("acknowledge", complaint), data).status_code == 302

    letter = IssuedLetter.objects.get(complaint=complaint)
    assert letter.sections["responsibilities"] == "We will look into both points."
    issued = complaint.events.get(action="letter_issued")
    assert issued.changes["sections_rewritten"] == [None, ["responsibilities"]]


def test_a_rewritten_letter_missing_an_element_cannot_be_issued(signed_in, complaint):
    data = {**acknowledge_data(complaint), "preview": "yes", "letter-complaint_definition": ""}

    html = page(signed_in.post(url("acknowledge", complaint), data))

    assert 'id="letter-problems"' in html
    assert "the complaint definition" in html
    assert (
        '<button type="submit" class="govuk-button" data-module="govuk-button">Acknowledge'
        not in html
    )
    assert "Update the letter" in html

    data.pop("preview")
    response = signed_in.post(url("acknowledge", complaint), data)  # sent anyway
    assert response.status_code == 400
    assert not IssuedLetter.objects.exists()
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


# --- letters of their own -----------------------------------------------------------------------


def test_the_case_offers_a_letter_of_its_own_with_only_the_kinds_it_can_have(
    signed_in, acknowledged
):
    assert url("write-letter", acknowledged) in page(signed_in.get(case_url(acknowledged)))

    html = page(signed_in.get(url("write-letter", acknowledged)))

    # Acknowledged and still open: no response has promised anything, nothing is closed.
    assert 'value="free"' in html
    assert "actions_update" not in html and "closure" not in html


def test_a_free_letter_opens_to_be_written_and_cannot_go_until_it_is(signed_in, acknowledged):
    data = {"letter_type": "free", "version": acknowledged.version}

    html = page(signed_in.post(url("write-letter", acknowledged), data))

    assert "Check before you send the letter" in html
    assert 'id="letter-problems"' in html
    assert 'name="letter-body"' in html
    assert '<button type="submit" class="govuk-button" data-module="govuk-button">Send' not in html
    assert not IssuedLetter.objects.exists()

    written = {**data, "confirmed": "yes", "letter-body": "We will call on Tuesday at 10am."}
    html = page(signed_in.post(url("write-letter", acknowledged), {**written, "preview": "yes"}))
    assert "We will call on Tuesday at 10am." in html
    assert 'id="letter-problems"' not in html

    assert signed_in.post(url("write-letter", acknowledged), written).status_code == 302
    letter = IssuedLetter.objects.get(complaint=acknowledged)
    assert (letter.type_key, letter.sections) == (
        "free",
        {"body": "We will call on Tuesday at 10am."},
    )


def test_a_letter_kind_the_case_cannot_have_is_refused_beside_the_choice(signed_in, acknowledged):
    data = {"letter_type": "stage1_closure", "version": acknowledged.version, "confirmed": "yes"}

    response = signed_in.post(url("write-letter", acknowledged), data)

    assert response.status_code == 400
    assert "Select a valid choice" in page(response)
    assert not IssuedLetter.objects.exists()

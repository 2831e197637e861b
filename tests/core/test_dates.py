import datetime as dt
import pathlib

from putright.core.dates import long_date, long_moment

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "putright"


def test_long_date_has_no_leading_zero():
    assert long_date(dt.date(2026, 1, 9)) == "9 January 2026"
    assert long_date(dt.date(2026, 12, 25)) == "25 December 2026"
    assert long_date(None) == ""


def test_no_message_formats_a_day_with_a_leading_zero():
    """Service messages and history summaries go through long_date, so a resident or handler
    never reads "09 January"."""
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if "%d %B" in path.read_text() or '"d F Y"' in path.read_text()
    ]
    assert offenders == []


def test_a_moment_is_read_in_london_time_on_a_twelve_hour_clock():
    utc = dt.UTC
    # 13:05 UTC in British Summer Time is 2:05pm in London; in winter the same.
    assert long_moment(dt.datetime(2026, 7, 3, 13, 5, tzinfo=utc)) == (
        "2026-07-03T14:05:00+01:00",
        "3 July 2026 at 2:05pm",
    )
    assert long_moment(dt.datetime(2026, 3, 3, 14, 5, tzinfo=utc))[1] == "3 March 2026 at 2:05pm"
    # Midnight and noon: 12am and 12pm, never 0:00.
    assert long_moment(dt.datetime(2026, 1, 9, 0, 0, tzinfo=utc))[1] == "9 January 2026 at 12:00am"
    assert long_moment(dt.datetime(2026, 1, 9, 12, 30, tzinfo=utc))[1].endswith("at 12:30pm")
    # 23:30 UTC on 31 March in summer time is already 1 April in London.
    assert long_moment(dt.datetime(2026, 3, 31, 23, 30, tzinfo=utc))[1] == "1 April 2026 at 12:30am"


def test_a_day_alone_has_no_time():
    assert long_moment(dt.date(2026, 1, 9)) == ("2026-01-09", "9 January 2026")


def test_the_time_element_matches_djangos_own_filters():
    from django.template import Context, Template

    moment = dt.datetime(2026, 10, 25, 0, 59, 7, 123456, tzinfo=dt.UTC)  # the clocks go back
    django_filters = Template(
        '<time datetime="{{ m|date:"c" }}">{{ m|date:"j F Y" }} at {{ m|time:"g:i" }}'
        '{{ m|time:"A"|lower }}</time>'
    )
    ours = Template("{% load govuk %}{{ m|govuk_time }}")

    assert ours.render(Context({"m": moment})) == django_filters.render(Context({"m": moment}))
    assert ours.render(Context({"m": None})) == ""

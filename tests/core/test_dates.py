import datetime as dt
import pathlib

from putright.core.dates import long_date

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

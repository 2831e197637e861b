"""`putright workdays`: the deadline calendar from the command line."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from putright.organisation.models import ClosureDay

pytestmark = pytest.mark.django_db


def workdays(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def christmas_closures():
    ClosureDay.objects.bulk_create(
        ClosureDay(date=date(2025, 12, day), description="Christmas closure")
        for day in (24, 29, 30, 31)
    )


def test_add_counts_working_days_after_the_date():
    assert workdays("add", "2025-12-22", "5") == "2025-12-31"


def test_between_counts_working_days_after_the_first_date_up_to_the_second():
    assert workdays("between", "2025-12-22", "2025-12-31") == "5"
    assert workdays("between", "2025-12-31", "2025-12-22") == "-5"


def test_add_can_count_back():
    # 19, 18, 17, 16 and 15 December.
    assert workdays("add", "2025-12-22", "-5") == "2025-12-15"


def test_closure_days_in_the_database_count(christmas_closures):
    assert workdays("add", "2025-12-22", "5") == "2026-01-07"
    assert workdays("between", "2025-12-22", "2026-01-07") == "5"


def test_no_closures_ignores_them(christmas_closures):
    assert workdays("add", "2025-12-22", "5", "--no-closures") == "2025-12-31"
    assert workdays("between", "2025-12-22", "2025-12-31", "--no-closures") == "5"


def test_verbose_output_lists_the_closure_days_used(christmas_closures):
    out, err = StringIO(), StringIO()
    call_command("workdays", "add", "2025-12-22", "5", verbosity=2, stdout=out, stderr=err)
    assert out.getvalue().strip() == "2026-01-07"
    assert "2025-12-24, 2025-12-29, 2025-12-30, 2025-12-31" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2025-13-01", "5"), "'2025-13-01' is not a date"),
        (("add", "22/12/2025", "5"), "YYYY-MM-DD"),
        (("between", "2025-12-22", "next week"), "'next week' is not a date"),
        (("add", "2025-12-22", "five"), "'five' is not a whole number"),
        (("add", "1800-01-02", "5"), "bank holidays are known"),
        (("between", "2025-12-22", "1800-01-02"), "bank holidays are known"),
    ],
)
def test_bad_input_gives_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        workdays(*args)


def test_an_unknown_action_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        workdays("subtract", "2025-12-22", "5")

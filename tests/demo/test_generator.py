import datetime as dt
from io import StringIO

import pytest

from putright.demo.generator import DemoGenerator
from putright.demo.people import TENURE_MIX, _allocate
from putright.demo.steps import DEFAULT_STEPS
from putright.people.models import Resident


def test_default_steps_run_in_order_with_people_before_stock_counts():
    names = [step.__name__ for step in DEFAULT_STEPS]
    assert names == [
        "make_organisation",
        "make_staff",
        "make_people",
        "make_stock_counts",
        "make_complaints",
        "make_learning",
        "make_redress",
        "make_ombudsman",
        "make_contacts",
        "make_tracking",
        "make_selfassessment",
    ]


def test_each_step_gets_its_own_repeatable_random_numbers():
    one, two = DemoGenerator(seed=5), DemoGenerator(seed=5)
    assert one.rng_for("people").random() == two.rng_for("people").random()
    assert one.rng_for("people").random() != one.rng_for("complaints").random()
    assert DemoGenerator(seed=6).rng_for("people").random() != one.rng_for("people").random()


def test_tenure_allocation_is_exact_at_any_size():
    for total in (10, 160, 8_000, 8_001):
        counts = _allocate(total, TENURE_MIX)
        assert sum(counts.values()) == total
        for tenure, share in TENURE_MIX.items():
            assert abs(counts[tenure] - total * share) < 1


@pytest.mark.django_db
def test_a_further_step_can_read_earlier_results_and_writes_in_the_same_transaction():
    seen = {}

    def first(generator):
        generator.results["first"] = generator.bulk_create(
            Resident, (Resident(last_name=f"Person {n}") for n in range(2500))
        )

    def second(generator):
        seen["ids"] = generator.results["first"]
        raise RuntimeError("stop")

    generator = DemoGenerator(
        seed=1, as_at=dt.date(2026, 11, 24), stdout=StringIO(), steps=[first, second]
    )
    with pytest.raises(RuntimeError):
        generator.run()
    assert len(seen["ids"]) == 2500 and all(seen["ids"])  # primary keys came back in batches
    assert not Resident.objects.exists()  # the whole run rolled back


def test_scale_must_be_positive():
    with pytest.raises(ValueError, match="more than 0"):
        DemoGenerator(scale=0)

"""The demo's compensation follows seed 000's proportions: about 27% of payments £100 or less,
an average near £183 (£92,236.77 over about 505 payments), a few ordered by the Ombudsman."""

from __future__ import annotations

import random

from putright.demo.redress import compensation_amount, heads_split
from putright.redress.models import HEAD_FIELDS


def test_amounts_are_drawn_in_seed_000s_proportions():
    rng = random.Random(2024)
    amounts = [compensation_amount(rng) for _ in range(20_000)]
    small = sum(1 for a in amounts if a <= 10_000) / len(amounts)
    mean = sum(amounts) / len(amounts)
    assert 0.25 < small < 0.29
    assert 15_000 < mean < 21_000  # £150 to £210 against seed 000's £183
    assert min(amounts) > 0


def test_heads_always_add_up_to_the_amount():
    rng = random.Random(7)
    for _ in range(5_000):
        amount = compensation_amount(rng)
        heads = heads_split(rng, amount)
        assert set(heads) <= set(HEAD_FIELDS)
        assert sum(heads.values()) == amount
        assert min(heads.values()) >= 0


def test_the_demo_records_compensation_for_its_financial_remedies(db):
    from io import StringIO

    from django.core.management import call_command
    from django.test import override_settings

    from putright.complaints.models import ComplaintEvent, Remedy
    from putright.redress.models import Compensation

    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", "--scale=0.1", "--as-at=2026-11-18", stdout=out)

    financial = Remedy.objects.filter(kind="compensation", stage__responded_on__isnull=False)
    assert financial.exists()
    assert Compensation.objects.count() == financial.count()
    assert "compensation payments totalling" in out.getvalue()
    paid = Compensation.objects.filter(status="paid")
    assert paid.exists() and not paid.filter(paid_on__isnull=True).exists()
    assert ComplaintEvent.objects.filter(action="compensation_paid").count() == paid.count()

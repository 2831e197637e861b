"""The demo data generator: an ordered list of steps sharing one seeded context.

``DemoGenerator.run()`` calls each step in ``steps`` in turn, inside one transaction, so a failed
run leaves the database as it was. A step is any callable taking the generator::

    def make_complaints(generator: DemoGenerator) -> None:
        rng = generator.rng_for("complaints")
        people = generator.results["people"]      # what the people step made
        ...
        generator.say("Created 1,234 complaints")

Extension point: add a step to ``putright.demo.steps.DEFAULT_STEPS`` (or pass ``steps=`` to
the generator). Each step draws its random numbers from ``rng_for(<its name>)``, a
``random.Random`` seeded from the run's seed and the step's name, so a new step never changes
what the steps before it make, and the same seed always gives the same data.

Steps record what later steps need in ``generator.results[<step name>]`` and write rows with
``bulk_create`` in batches (``generator.bulk_create``): no query per row, so the same code can
fill a database with a million complaints.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TextIO

from django.db import models, transaction
from faker import Faker

from putright.core import clock

Step = Callable[["DemoGenerator"], None]

BASE_HOMES = 8_000  # homes at scale 1.0
BATCH_SIZE = 1_000
FAKER_LOCALE = "en_GB"


@dataclass
class DemoGenerator:
    seed: int = 2024
    scale: float = 1.0
    as_at: dt.date = field(default_factory=clock.today)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    steps: list[Step] | None = None
    # What each step made, by step name, for the steps after it.
    results: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.scale <= 0:
            raise ValueError("The scale must be more than 0")
        if self.steps is None:
            from putright.demo.steps import DEFAULT_STEPS  # the steps import this module

            self.steps = list(DEFAULT_STEPS)

    # --- shared helpers ----------------------------------------------------------------------

    def rng_for(self, name: str) -> random.Random:
        """A random number generator for one step, the same for the same seed and name."""
        return random.Random(f"putright-demo:{self.seed}:{name}")

    def faker_for(self, name: str) -> Faker:
        fake = Faker(FAKER_LOCALE)
        fake.seed_instance(f"putright-demo:{self.seed}:{name}")
        return fake

    def scaled(self, count_at_scale_one: float, *, minimum: int = 0) -> int:
        return max(minimum, round(count_at_scale_one * self.scale))

    def say(self, message: str) -> None:
        self.stdout.write(message + "\n")

    def bulk_create(
        self, model: type[models.Model], rows: Iterable[models.Model], batch_size: int = BATCH_SIZE
    ) -> list[int]:
        """Insert ``rows`` in batches and return their primary keys in order.

        ``rows`` may be a generator, so at most one batch of model instances is in memory.
        """
        ids: list[int] = []
        iterator: Iterator[models.Model] = iter(rows)
        while batch := list(islice(iterator, batch_size)):
            model.objects.bulk_create(batch, batch_size=batch_size)
            ids.extend(row.pk for row in batch)
        return ids

    # --- running -----------------------------------------------------------------------------

    def run(self) -> None:
        started = time.monotonic()
        with transaction.atomic():
            for step in self.steps:
                step(self)
        self.say(f"Demo data ready in {time.monotonic() - started:.1f} s (seed {self.seed}).")

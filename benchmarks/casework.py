"""Caseworking screens at scale: the queues and the case page over 100,000 complaints.

    python benchmarks/casework.py                      # 100,000 complaints
    python benchmarks/casework.py --complaints 10000   # a quicker run
    python benchmarks/run.py casework                  # through the runner (size from
                                                       # PUTRIGHT_BENCH_COMPLAINTS, default 100,000)

Builds a throwaway SQLite database in a temporary folder (DATABASE_URL is set before Django
starts, so the real database is never touched), fills it with ``bulk_create`` (no services, no
history beyond a few events a complaint: the point is the shape and size of the tables the screens
read), then times the pages through ``django.test.Client`` as a signed-in case handler and a
complaints manager. Each scenario gets a few warm-up requests, then ``REQUESTS`` timed ones; the
report gives the median and 95th percentile in milliseconds and the queries per request.

The settings are the deployed ones (DEBUG off, SQLite in WAL mode, CONN_MAX_AGE 0 so each request
opens its own connection), so the times include opening the connection and Django's middleware,
templates and the test client, which is close to what a server spends on a request.

Run standalone it adds its result to benchmarks/results/latest.json beside the others.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_FILE = BENCH_DIR / "results" / "latest.json"

DEFAULT_COMPLAINTS = 100_000
REQUESTS = 50
WARM_UP = 5
SEED = 20251224
HANDLERS = 20
TEAMS = ("North", "South", "East", "West")
TARGET_QUEUE_MS = 30
TARGET_CASE_MS = 15
# Free text is matched with LIKE over every row of the queue (no index can serve it).
WORD_SEARCH = "queue search: words (manager)"

# Share of complaints in each status (open ones are over-represented, to stress the queues).
STATUS_MIX = {
    "received": 4,
    "stage1_open": 16,
    "stage1_responded": 8,
    "stage2_open": 5,
    "stage2_responded": 5,
    "closed": 50,
    "not_accepted": 4,
    "escalation_refused": 1,
    "withdrawn": 7,
}
CHANNEL_MIX = {
    "email": 60,
    "phone": 15,
    "web_form": 12,
    "letter": 5,
    "in_person": 3,
    "social_media": 2,
    "mp_or_councillor": 2,
    "other": 1,
}
TENURE_MIX = {
    "lcra_general_needs": 70,
    "lcra_supported": 6,
    "lcra_older_people": 8,
    "lcho_shared_ownership": 8,
    "leaseholder": 6,
    "other": 2,
}
_WORDS_TEXT = (
    "damp mould bathroom bedroom kitchen boiler heating radiator leak roof window door lock "
    "repair appointment contractor missed rearranged noise neighbour rent charge service lift "
    "stairs cleaning bins parking garden fence gutter ceiling wall floor electrics smell pest "
    "communication phone call email letter response waited weeks months nobody came again"
)
WORDS = tuple(_WORDS_TEXT.split())
LETTERS = "ABDEFGHJLN"
STREETS = (
    "Acacia Avenue",
    "Birch Close",
    "Cedar Road",
    "Deacon Street",
    "Elm Grove",
    "Foundry Lane",
    "Granary Court",
    "Holly Way",
    "Ivy Terrace",
    "Juniper Place",
)
_FIRST_NAMES_TEXT = (
    "Ada Ben Cara Dev Emma Femi Gita Hana Ian Jo Kofi Lena Mo Nia Olu Priya Quinn Rhys "
    "Sara Tom Uma Vik Wren Yusuf Zoe"
)
FIRST_NAMES = tuple(_FIRST_NAMES_TEXT.split())
_LAST_NAMES_TEXT = (
    "Adams Begum Clarke Davies Evans Fraser Green Hussain Iqbal Jones Khan Lewis Morgan "
    "Nowak Owen Patel Quinn Roberts Smith Taylor Usman Vaughan Walker Young"
)
LAST_NAMES = tuple(_LAST_NAMES_TEXT.split())


def _weighted(rng: random.Random, mix: dict[str, int]) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def setup_django(database: Path) -> None:
    """Point Django at the throwaway database and start it (before any model is imported)."""
    import django
    from django.apps import apps

    if apps.ready:
        from django.conf import settings

        name = str(settings.DATABASES["default"]["NAME"])
        if name != str(database):
            raise RuntimeError(f"Django is already set up with {name}; run this benchmark alone")
        return
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
    os.environ["DEBUG"] = "false"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    django.setup()


# Building the data -----------------------------------------------------------------------------


def build(complaints: int, *, seed: int = SEED, say=print) -> dict[str, Any]:
    """Migrate the empty database and fill it; returns who to sign in as and some references."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from putright.accounts.models import Team, User
    from putright.accounts.roles import sync_roles
    from putright.complaints.models import (
        Complaint,
        ComplaintEvent,
        Point,
        ReferenceCounter,
        Stage,
    )
    from putright.organisation.models import Category
    from putright.organisation.selectors import current_calendar
    from putright.people.models import Property, Resident, Tenancy

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    sync_roles()
    say(f"  migrated in {time.perf_counter() - started:.1f}s")
    rng = random.Random(seed)
    today = timezone.localdate()
    calendar = current_calendar()

    with transaction.atomic():
        teams = [Team.objects.create(name=name) for name in TEAMS]
        groups = {g.name: g for g in Group.objects.all()}
        staff = []
        for n in range(HANDLERS):
            user = User.objects.create_user(
                email=f"handler{n}@bench.putright.test",
                password=None,
                full_name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} Handler{n}",
                team=teams[n % len(teams)],
            )
            role = "Quality reviewer" if n % 5 == 4 else "Case handler"
            user.groups.add(groups[role])
            staff.append(user)
        manager = User.objects.create_user(
            email="manager@bench.putright.test", password=None, full_name="Mina Manager"
        )
        manager.groups.add(groups["Complaints manager"])

        homes = max(200, complaints // 25)
        people = max(200, complaints // 20)
        properties = Property.objects.bulk_create(
            Property(
                uprn=str(100_000_000 + n),
                address_line_1=f"{n % 300 + 1} {STREETS[n % len(STREETS)]}",
                town="Greenway",
                postcode=f"GW{n % 9 + 1} {n % 9 + 1}{LETTERS[n % 10]}{LETTERS[n // 10 % 10]}",
            )
            for n in range(homes)
        )
        residents = Resident.objects.bulk_create(
            Resident(
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"resident{n}@example.com",
                phone=f"07700 9{n % 100000:05d}",
            )
            for n in range(people)
        )
        home_of = {}
        tenancies = []
        for n, resident in enumerate(residents):
            home = properties[n % len(properties)]
            home_of[resident.pk] = home
            tenancies.append(
                Tenancy(
                    resident=resident,
                    property=home,
                    tenure=_weighted(rng, TENURE_MIX),
                    start_date=date(2015 + n % 10, 4, 1),
                    is_joint=n >= len(properties),
                )
            )
        Tenancy.objects.bulk_create(tenancies, batch_size=2000)
        say(f"  {len(staff)} handlers, {homes:,} homes, {people:,} residents")

        top = list(Category.objects.filter(parent__isnull=True).prefetch_related("children"))
        rows, stage_rows, counters = _complaints(
            complaints, rng, today, calendar, staff, residents, home_of, top
        )
        made = time.perf_counter()
        Complaint.objects.bulk_create(rows, batch_size=1000)
        say(f"  {len(rows):,} complaints in {time.perf_counter() - made:.1f}s")
        made = time.perf_counter()
        stages = []
        for complaint, specs in zip(rows, stage_rows, strict=True):
            for spec in specs:
                stages.append(Stage(complaint=complaint, **spec))
        Stage.objects.bulk_create(stages, batch_size=1000)
        Point.objects.bulk_create(
            (
                Point(
                    stage=stage,
                    number=1,
                    summary=f"The {rng.choice(WORDS)} was not dealt with.",
                    outcome_sought="Put it right and explain what went wrong.",
                    added_on=stage.acknowledged_on,
                )
                for stage in stages
                if stage.acknowledged_on is not None
            ),
            batch_size=2000,
        )
        events = []
        for stage in stages:
            events.append(
                ComplaintEvent(
                    complaint_id=stage.complaint_id,
                    stage_number=stage.number,
                    happened_on=stage.received_on,
                    actor=manager,
                    action="logged" if stage.number == 1 else "escalated",
                    summary="Complaint logged" if stage.number == 1 else "Escalated to stage 2",
                    changes={},
                )
            )
            if stage.acknowledged_on:
                events.append(
                    ComplaintEvent(
                        complaint_id=stage.complaint_id,
                        stage_number=stage.number,
                        happened_on=stage.acknowledged_on,
                        actor=stage.handler or manager,
                        action="acknowledged",
                        summary=f"Stage {stage.number} acknowledged",
                        changes={},
                    )
                )
            if stage.responded_on:
                events.append(
                    ComplaintEvent(
                        complaint_id=stage.complaint_id,
                        stage_number=stage.number,
                        happened_on=stage.responded_on,
                        actor=stage.handler or manager,
                        action="responded",
                        summary=f"Stage {stage.number} responded",
                        changes={},
                    )
                )
        ComplaintEvent.objects.bulk_create(events, batch_size=2000)
        seconds = time.perf_counter() - made
        say(f"  {len(stages):,} stages and {len(events):,} events in {seconds:.1f}s")
        ReferenceCounter.objects.bulk_create(
            ReferenceCounter(year=year, last=last) for year, last in counters.items()
        )
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    open_handled = [c for c in rows if c.status in ("received", "stage1_open", "stage2_open")]
    return {
        "handler": staff[0],
        "manager": manager,
        "references": [c.reference for c in rows],
        "open_reference": open_handled[len(open_handled) // 2].reference,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _complaints(n, rng, today, calendar, staff, residents, home_of, top):
    """Complaint rows (queue fields consistent with their stages) and each one's stage specs."""
    first_year = today.year - 3
    span = (today - date(first_year, 1, 1)).days
    counters: dict[int, int] = {}
    rows = []
    open_states = {"received", "stage1_open", "stage2_open"}
    received_days: list[date] = []
    for _ in range(n):
        status = _weighted(rng, STATUS_MIX)
        if status in open_states:
            # Next deadline within 21 working days (about a month) either side of today.
            due = calendar.add(today, rng.randint(-21, 21))
            if status == "received":
                received = calendar.add(due, -5)
            elif status == "stage1_open":
                received = calendar.add(due, -rng.randint(12, 16))
            else:
                received = calendar.add(due, -rng.randint(40, 80))
        else:
            received = date(first_year, 1, 1) + timedelta(days=rng.randint(0, span - 40))
            due = None
        received_days.append(received)
        rows.append((status, received, due))
    # References go out in order of receipt, as they would have.
    order = sorted(range(n), key=lambda i: received_days[i])
    complaints: list[Any] = [None] * n
    specs_by_index: list[Any] = [None] * n
    for i in order:
        status, received, due = rows[i]
        year = received.year
        counters[year] = counters.get(year, 0) + 1
        complaint, specs = _one(
            rng,
            status,
            received,
            due,
            f"C-{year}-{counters[year]:05d}",
            today,
            calendar,
            staff,
            residents,
            home_of,
            top,
        )
        complaints[i] = complaint
        specs_by_index[i] = specs
    ordered = [complaints[i] for i in order]
    ordered_specs = [specs_by_index[i] for i in order]
    return ordered, ordered_specs, counters


def _one(rng, status, received, due, reference, today, calendar, staff, residents, home_of, top):
    from putright.complaints import search
    from putright.complaints.models import Complaint

    resident = rng.choice(residents)
    category = rng.choice(top)
    children = list(category.children.all())
    stage_number = (
        2
        if status in ("stage2_open", "stage2_responded")
        or (status in ("closed", "withdrawn") and rng.random() < 0.15)
        else 1
    )
    is_open = status in ("received", "stage1_open", "stage2_open")
    handler = rng.choice(staff) if status != "received" or rng.random() < 0.5 else None
    if is_open and rng.random() < 0.08:
        handler = None
    ack_due = calendar.add(received, 5)
    ack_late = rng.random() < 0.06
    acknowledged = (
        None
        if status in ("received", "not_accepted")
        else (calendar.add(ack_due, 2) if ack_late else calendar.add(received, rng.randint(1, 5)))
    )
    if acknowledged and acknowledged > today:
        acknowledged = today
    extended = is_open and status != "received" and rng.random() < 0.06
    response_due = calendar.add(acknowledged, 10) if acknowledged else None
    responded = None
    if status in ("stage1_responded", "stage2_responded", "closed", "escalation_refused"):
        responded = calendar.add(acknowledged, rng.randint(5, 12))
    late_response = responded is not None and response_due is not None and responded > response_due
    when = datetime(received.year, received.month, received.day, 10, tzinfo=UTC)
    stage1 = {
        "number": 1,
        "received_on": received,
        "handler": handler if stage_number == 1 else rng.choice(staff),
        "acknowledged_on": acknowledged,
        "acknowledgement_due": ack_due,
        "response_due": response_due,
        "response_due_if_acknowledged_on_time": response_due,
        "extension_cap": calendar.add(response_due, 10) if response_due else None,
        "responded_on": responded if stage_number == 1 else calendar.add(acknowledged, 9),
        "ack_within_code": None if acknowledged is None else not ack_late,
        "response_within_code": None if responded is None else not late_response,
    }
    specs = [stage1]
    next_due, kind = None, ""
    if stage_number == 2:
        escalated = calendar.add(stage1["responded_on"], rng.randint(2, 20))
        s2_ack = calendar.add(escalated, rng.randint(1, 5))
        s2_due = calendar.add(s2_ack, 20)
        if status == "stage2_open" and due is not None:
            s2_due = due
        specs.append(
            {
                "number": 2,
                "received_on": escalated,
                "handler": handler,
                "acknowledged_on": min(s2_ack, today),
                "acknowledgement_due": calendar.add(escalated, 5),
                "response_due": s2_due,
                "response_due_if_acknowledged_on_time": s2_due,
                "extension_cap": calendar.add(s2_due, 20),
                "responded_on": None if is_open else calendar.add(s2_ack, rng.randint(10, 22)),
                "ack_within_code": True,
            }
        )
    if is_open:
        next_due = due
        kind = "acknowledgement" if status == "received" else "response"
        current = specs[-1]
        if kind == "response" and stage_number == 1:
            current["response_due"] = due
        if extended:
            current["extended_due"] = due
    awaiting = is_open and status != "received" and rng.random() < 0.05
    if awaiting:
        specs[-1]["draft"] = {"decisions": {}, "remedies": [], "actions": [], "root_causes": []}
    words = rng.choices(WORDS, k=rng.randint(15, 45))
    description = " ".join(words).capitalize() + "."
    complaint = Complaint(
        reference=reference,
        complainant=resident,
        property=home_of[resident.pk],
        tenure_at_receipt=_weighted(rng, TENURE_MIX),
        channel=_weighted(rng, CHANNEL_MIX),
        received_at=when,
        received_on=received,
        logged_at=when,
        category=category,
        sub_category=rng.choice(children) if children else None,
        is_vulnerable=rng.random() < 0.1,
        is_confidential=rng.random() < 0.01,
        description=description,
        search_text=search.text_for(
            complainant=resident, property=home_of[resident.pk], description=description
        ),
        status=status,
        stage_number=stage_number,
        handler=handler,
        next_due_on=next_due,
        next_due_kind=kind,
        is_extended=extended,
        is_breached=ack_late or late_response,
        awaiting_sign_off=awaiting,
        version=len(specs) * 2,
    )
    return complaint, specs


# Timing -----------------------------------------------------------------------------------------


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(client, paths: list[str], *, requests: int = REQUESTS, warm_up: int = WARM_UP):
    """Time GETs of ``paths`` (cycled): median and 95th percentile ms, queries per request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for path in paths[:warm_up] if len(paths) >= warm_up else paths * warm_up:
        client.get(path)
    times, queries, statuses = [], [], set()
    for n in range(requests):
        path = paths[n % len(paths)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        queries.append(len(captured))
        statuses.add(response.status_code)
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
        "queries": max(queries)
        if min(queries) == max(queries)
        else f"{min(queries)}-{max(queries)}",
        "status": sorted(statuses),
        "requests": requests,
    }


def scenarios(data: dict[str, Any], rng: random.Random) -> list[tuple[str, str, list[str]]]:
    """(name, who, paths): queue pages for several queues, filters and sorts; the case page."""
    from django.urls import reverse

    def queue(slug: str, query: str = "") -> str:
        path = reverse("casework:queue", kwargs={"queue": slug})
        return f"{path}?{query}" if query else path

    cases = [
        reverse("casework:case", kwargs={"reference": ref})
        for ref in rng.sample(data["references"], min(REQUESTS, len(data["references"])))
    ]
    return [
        ("queue mine (handler)", "handler", [queue("mine")]),
        ("queue team (handler)", "handler", [queue("team")]),
        ("queue due-soon (handler)", "handler", [queue("due-soon")]),
        ("queue overdue page 3 (handler)", "handler", [queue("overdue", "page=3")]),
        ("queue unallocated (manager, bulk form)", "manager", [queue("unallocated")]),
        ("queue quality-check (manager)", "manager", [queue("quality-check")]),
        ("queue stage-2 (manager)", "manager", [queue("stage-2")]),
        ("queue ombudsman (manager)", "manager", [queue("ombudsman")]),
        ("queue closed, newest first (manager)", "manager", [queue("closed")]),
        ("queue closed page 200 (manager)", "manager", [queue("closed", "page=200")]),
        (
            "queue overdue sorted by reference (manager)",
            "manager",
            [queue("overdue", "sort=reference")],
        ),
        (
            "queue overdue sorted by received (manager)",
            "manager",
            [queue("overdue", "sort=-received")],
        ),
        (
            "queue overdue filtered: stage 1, email, breached (manager)",
            "manager",
            [queue("overdue", "stage=1&channel=email&breached=yes")],
        ),
        (
            "queue closed filtered: vulnerable, received in a month (manager)",
            "manager",
            [
                queue(
                    "closed",
                    "vulnerable=yes&received_from_day=1&received_from_month=3"
                    f"&received_from_year={date.today().year - 1}&received_to_day=31"
                    f"&received_to_month=3&received_to_year={date.today().year - 1}",
                )
            ],
        ),
        (
            "queue search: exact reference (manager)",
            "manager",
            [queue("closed", f"q={data['references'][len(data['references']) // 3]}")],
        ),
        (
            "queue search: reference prefix (manager)",
            "manager",
            [queue("overdue", f"q={data['open_reference'][:-2]}")],
        ),
        (WORD_SEARCH, "manager", [queue("overdue", "q=boiler+leak")]),
        ("case page, random complaints (manager)", "manager", cases),
    ]


def load(say=print) -> dict[str, Any]:
    """What ``build`` returns, read back from a database it built earlier (``--database``)."""
    from putright.accounts.models import User
    from putright.complaints.models import Complaint

    references = list(Complaint.objects.order_by("id").values_list("reference", flat=True))
    open_references = list(
        Complaint.objects.filter(status__in=("received", "stage1_open", "stage2_open"))
        .order_by("id")
        .values_list("reference", flat=True)
    )
    say(f"  reusing {len(references):,} complaints")
    return {
        "handler": User.objects.get(email="handler0@bench.putright.test"),
        "manager": User.objects.get(email="manager@bench.putright.test"),
        "references": references,
        "open_reference": open_references[len(open_references) // 2],
        "seconds": 0,
    }


def run(
    complaints: int | None = None,
    requests: int = REQUESTS,
    say=print,
    database: Path | None = None,
) -> dict[str, Any]:
    """Build (or, with ``database`` naming an existing file, reuse) the data and time the pages.

    Without ``database`` the data lives in a temporary folder removed afterwards.
    """
    complaints = complaints or int(os.environ.get("PUTRIGHT_BENCH_COMPLAINTS", DEFAULT_COMPLAINTS))
    with tempfile.TemporaryDirectory(prefix="putright-bench-") as folder:
        reuse = database is not None and database.exists()
        database = database or Path(folder) / "bench.sqlite3"
        setup_django(database)
        if reuse:
            data = load(say=say)
            complaints = len(data["references"])
        else:
            say(f"building {complaints:,} complaints in {database}")
            data = build(complaints, say=say)

        from django.test import Client

        clients = {"handler": Client(), "manager": Client()}
        clients["handler"].force_login(data["handler"])
        clients["manager"].force_login(data["manager"])
        rng = random.Random(SEED)
        results: dict[str, Any] = {}
        for name, who, paths in scenarios(data, rng):
            results[name] = measure(clients[who], paths, requests=requests)
            say(f"  {name}: {results[name]}")
        from django.db import connections

        connections.close_all()
    queues = {n: r["median_ms"] for n, r in results.items() if n.startswith("queue")}
    structured = [ms for n, ms in queues.items() if n != WORD_SEARCH]
    case = results["case page, random complaints (manager)"]
    return {
        "complaints": complaints,
        "build_seconds": data["seconds"],
        "requests_per_scenario": requests,
        "database": f"SQLite {sqlite3.sqlite_version}, WAL, CONN_MAX_AGE 0, no ANALYZE statistics",
        "targets": {"queue_median_ms": TARGET_QUEUE_MS, "case_median_ms": TARGET_CASE_MS},
        "worst_queue_median_ms": max(queues.values()),
        "worst_queue_median_ms_without_word_search": max(structured),
        "queue_target_met": max(queues.values()) < TARGET_QUEUE_MS,
        "queue_target_met_without_word_search": max(structured) < TARGET_QUEUE_MS,
        "case_target_met": case["median_ms"] < TARGET_CASE_MS,
        "scenarios": results,
    }


def _write(result: dict[str, Any], output: Path) -> None:
    """Add this result to the runner's JSON file, keeping the other benchmarks' results."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import machine

    report: dict[str, Any] = {}
    if output.exists():
        try:
            report = json.loads(output.read_text())
        except json.JSONDecodeError:
            report = {}
    report["generated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    report["machine"] = machine()
    report.setdefault("results", {})["casework"] = result
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"wrote {output}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=DEFAULT_COMPLAINTS)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--output", type=Path, default=RESULTS_FILE)
    parser.add_argument(
        "--database",
        type=Path,
        help="keep the generated database in this file, or reuse it if it exists already",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = run(args.complaints, args.requests, database=args.database)
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    _write(result, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())

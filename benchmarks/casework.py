"""Caseworking screens at scale: every queue, home page and the case page, as each role sees them.

    python benchmarks/casework.py                      # 100,000 complaints
    python benchmarks/casework.py --complaints 10000   # a quicker run
    python benchmarks/run.py casework                  # through the runner (size from
                                                       # PUTRIGHT_BENCH_COMPLAINTS, default 100,000)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench make bench

The database: SQLite unless ``DATABASE_URL`` names a PostgreSQL database.

- SQLite: a throwaway file in a temporary folder (a SQLite ``DATABASE_URL`` usually names the
  development database, so it is not used), or the file given with ``--database``, kept
  afterwards and reused by the next run that names it.
- PostgreSQL: the database ``DATABASE_URL`` names, which must be empty or built by an earlier run
  of this benchmark (a ``putright_benchmark`` table says so). An earlier build is dropped and
  built again, unless ``--reuse`` (or ``PUTRIGHT_BENCH_REUSE=1``) asks to time it as it is.
  Anything else is refused, so the benchmark never writes into a real database. Make one with
  ``createdb -h 127.0.0.1 -U postgres putright_bench``.

The data (``benchmarks/casework_data.py``) is bulk-created but consistent with the engine's rules:
stages with points of complaint, decisions on every point, drafts signed off by someone else,
refusals, extensions, notes, correspondence, documents, promised actions and confidential cases.
After building, ``ANALYZE`` gives the planner its statistics (``VACUUM ANALYZE`` on PostgreSQL,
as autovacuum would have by then); ``--no-analyze`` (``PUTRIGHT_BENCH_ANALYZE=0``) leaves them out,
as on a SQLite deployment where nobody ever runs ANALYZE.

Timing: each request goes straight to Django's WSGI handler, as a WSGI server would send it, so
``request_started`` and ``request_finished`` fire and close the database connection when
``CONN_MAX_AGE`` says so: both databases keep the deployed setting's persistent connection, as a
server thread does (``PUTRIGHT_BENCH_CONN_MAX_AGE=0`` times a connection opened per request).
(``django.test.Client`` would keep one connection open whatever the setting: it disconnects
``close_old_connections`` around each request.) The settings are otherwise the deployed ones
(DEBUG off).

Each queue and home page is timed as each role that uses it: case handler and quality reviewer
(who get the per-row confidentiality filter), complaints manager (who sees every complaint) and,
for the home page, board member (who has no queues). The heavier queue variants (deep pages,
sorts, filters, searches) run as a case handler and as a manager; the case page over random
complaints each caseworking role may open (three of them confidential, whose opening is also
recorded) and over the complaints with the longest histories. A first scenario, the sign-in page
signed out, reads no complaint data: it shows what any request cost on the machine at the time.

Each scenario gets ``WARM_UP`` requests, then ``REQUESTS`` timed ones, reported as:

- ``median_ms``, ``p95_ms``: wall time per request, the figures the targets apply to;
- ``cpu_median_ms``: CPU time of this process per request, less disturbed by other work on the
  machine (on SQLite it includes the database's work; PostgreSQL's runs in the server);
- ``db_median_ms``: time in the database driver (``execute``, and on SQLite fetching the rows);
- ``queries`` per request and ``connections_per_request`` opened;
- ``slowest_query``: the read taking longest in a typical request, with its plan (EXPLAIN QUERY
  PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL).

The result also lists every page and role over its target (``misses``) and the slowest queries
across pages, and records the load average and the commit timed.

Run standalone it adds its result to benchmarks/results/latest.json beside the others; either way
the full result is also written to benchmarks/results/casework-<sqlite|postgresql>.json (with
``-no-statistics`` when timed without ANALYZE), so one run per database can be compared.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_FILE = BENCH_DIR / "results" / "latest.json"

DEFAULT_COMPLAINTS = 100_000
REQUESTS = 50
WARM_UP = 5
TARGET_PAGE_MS = 30  # every queue and home page, every role (median, quiet machine)
TARGET_CASE_MS = 20  # the case page

# Who is timed, and as whom they sign in (casework_data makes them).
ROLES = {
    "case handler": "handler0@bench.putright.test",
    "quality reviewer": "handler4@bench.putright.test",
    "complaints manager": "manager@bench.putright.test",
    "board member": "board@bench.putright.test",
}
CASEWORK_ROLES = ("case handler", "quality reviewer", "complaints manager")


# Django and the database -------------------------------------------------------------------------


def database_url(sqlite_file: Path) -> str:
    """PostgreSQL when DATABASE_URL names it; otherwise SQLite in ``sqlite_file``."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return url
    return f"sqlite:///{sqlite_file}"


def setup_django(url: str) -> None:
    """Point Django at the benchmark's database and start it (before any model is imported)."""
    import django
    from django.apps import apps

    if apps.ready:
        from django.conf import settings

        configured = settings.DATABASES["default"]
        wanted = url.rsplit("/", 1)[-1].split("?")[0]
        if not str(configured["NAME"]).endswith(wanted):
            raise RuntimeError(
                f"Django is already set up with {configured['NAME']}; run this benchmark alone"
            )
        return
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
    os.environ["DEBUG"] = "false"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    django.setup()


def prepare(*, reuse: bool, say=print) -> dict[str, Any] | None:
    """Make sure the database is one this benchmark may fill; returns the build to reuse, if any.

    Empty: fine. Built by this benchmark: reused with ``reuse``, else every table is dropped.
    Anything else: refused.
    """
    from django.db import connection

    from benchmarks.casework_data import marker

    tables = connection.introspection.table_names()
    if not tables:
        return None
    built = marker()
    if built is None:
        raise SystemExit(
            f"The database {connection.settings_dict['NAME']} is not empty and was not built by "
            "this benchmark, so it will not be touched. Point DATABASE_URL at an empty database "
            "(createdb -h 127.0.0.1 -U postgres putright_bench)."
        )
    if reuse:
        say(f"  reusing the database built on {built['built_on']}: {built['complaints']:,}")
        if _migrate_pending(say):  # new indexes: time the code as it is now
            analyze(say)
        return built
    say(f"  dropping the benchmark's earlier build ({len(tables)} tables)")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TABLE IF EXISTS " + ", ".join(map(quote, tables)) + " CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(table)}")
    return None


def _migrate_pending(say=print) -> bool:
    """Apply migrations added since the build; whether there were any."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        say(f"  applying {len(pending)} migration(s) added since the build")
        call_command("migrate", verbosity=0, interactive=False)
    return bool(pending)


def analyze(say=print) -> float:
    """Give the planner its statistics, as a database in service would have them."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.perf_counter() - started
    say(f"  ANALYZE in {seconds:.1f}s")
    return round(seconds, 1)


def describe_code() -> dict[str, Any]:
    """Which product code was timed: the commit, and files under putright/ changed since."""
    import subprocess

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.rstrip()  # not strip(): porcelain lines start with a space

    changed = [line[3:] for line in git("status", "--porcelain", "--", "putright").splitlines()]
    commit = git("rev-parse", "--short", "HEAD").strip()
    return {"commit": commit, "uncommitted_in_putright": changed}


def describe_database() -> dict[str, Any]:
    from django.db import connection

    settings = connection.settings_dict
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("SELECT count(*) FROM pg_stats WHERE schemaname = 'public'")
            stats = cursor.fetchone()[0] > 0
        else:
            version = f"SQLite {sqlite3.sqlite_version}, WAL"
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            )
            stats = cursor.fetchone()[0] > 0
    max_age = settings["CONN_MAX_AGE"]
    return {
        "vendor": connection.vendor,
        "version": version,
        "name": str(settings["NAME"]) if connection.vendor == "postgresql" else "(throwaway file)",
        "conn_max_age": max_age,
        "connection": "opened for each request" if max_age == 0 else f"kept for {max_age}s",
        "planner_statistics": stats,
    }


# Requests as a WSGI server sends them ------------------------------------------------------------


class Browser:
    """GETs straight to Django's WSGI handler, as a WSGI server sends them.

    ``request_started`` and ``request_finished`` fire as they do in production (the response's
    ``close()`` sends the second), so ``close_old_connections`` closes the connection after each
    request when ``CONN_MAX_AGE`` is 0. ``django.test.Client`` disconnects that handler.
    """

    def __init__(self, handler: Any, session_cookie: str):
        self.handler = handler
        self.cookie = session_cookie

    def get(self, url: str) -> int:
        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "localhost",
            "HTTP_COOKIE": self.cookie,
            "HTTP_ACCEPT": "text/html",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []

        def start_response(line, headers, exc_info=None):
            status.append(line)
            return lambda data: None

        response = self.handler(environ, start_response)
        try:
            for _chunk in response:
                pass
        finally:
            response.close()
        return int(status[0].split()[0])


def sign_in(email: str) -> str:
    """A session cookie for ``email`` (made through the test client's force_login)."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from putright.accounts.models import User
    from putright.accounts.two_factor import policy

    client = Client()
    user = User.objects.get(email=email)
    client.force_login(user)
    if policy.is_required_for(user):
        # As after entering a code from their authenticator app (the OTP middleware then reads
        # the device on every request, as it does in service).
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="Benchmark", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class Recorder:
    """Every query of the requests it wraps: SQL, parameters and milliseconds in the driver.

    The time is ``execute`` plus, on SQLite, fetching the rows afterwards (``timed_fetches``):
    SQLite's cursor steps through the query as rows are fetched, so part of a query's work comes
    after ``execute`` returns. PostgreSQL's cursor has every row once ``execute`` returns.
    """

    def __init__(self):
        self.queries: list[list[Any]] = []  # [sql, params, ms]
        self.latest: dict[int, int] = {}  # the driver's cursor -> its latest query
        self.connections = 0

    def reset(self) -> None:
        self.queries.clear()
        self.latest.clear()

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append([sql, params, (time.perf_counter() - started) * 1000])
            self.latest[id(context["cursor"].cursor)] = len(self.queries) - 1

    def fetched(self, cursor: Any, ms: float) -> None:
        index = self.latest.get(id(cursor))
        if index is not None:
            self.queries[index][2] += ms

    def connected(self, sender, connection, **kwargs):
        self.connections += 1


@contextmanager
def timed_fetches(recorder: Recorder) -> Iterator[None]:
    """On SQLite, add the time spent fetching rows to the query they came from."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    saved = {}
    for name in ("fetchone", "fetchmany", "fetchall"):
        saved[name] = SQLiteCursorWrapper.__dict__.get(name)
        original = getattr(SQLiteCursorWrapper, name)

        def timed(self, *args, _original=original, **kwargs):
            started = time.perf_counter()
            try:
                return _original(self, *args, **kwargs)
            finally:
                recorder.fetched(self, (time.perf_counter() - started) * 1000)

        setattr(SQLiteCursorWrapper, name, timed)
    try:
        yield
    finally:
        for name, method in saved.items():
            if method is None:
                delattr(SQLiteCursorWrapper, name)
            else:
                setattr(SQLiteCursorWrapper, name, method)


# Timing ------------------------------------------------------------------------------------------


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(browser: Browser, paths: list[str], *, requests: int, target: float | None):
    """Time GETs of ``paths`` (cycled); the slowest query's SQL comes back for its plan."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    for path in (paths * WARM_UP)[:WARM_UP]:
        browser.get(path)
    recorder = Recorder()
    connection_created.connect(recorder.connected)
    times, cpu_times, db_times, counts, statuses = [], [], [], [], set()
    by_sql: dict[str, list[float]] = defaultdict(list)
    worst: dict[str, tuple[float, Any]] = {}
    try:
        with connection.execute_wrapper(recorder), timed_fetches(recorder):
            for n in range(requests):
                recorder.reset()
                started, cpu = time.perf_counter(), time.thread_time()
                statuses.add(browser.get(paths[n % len(paths)]))
                times.append((time.perf_counter() - started) * 1000)
                cpu_times.append((time.thread_time() - cpu) * 1000)
                counts.append(len(recorder.queries))
                db_times.append(sum(ms for _, _, ms in recorder.queries))
                per_request: dict[str, float] = defaultdict(float)
                for sql, params, ms in recorder.queries:
                    per_request[sql] += ms
                    if ms > worst.get(sql, (-1, None))[0]:
                        worst[sql] = (ms, params)
                for sql, ms in per_request.items():
                    by_sql[sql].append(ms)
    finally:
        connection_created.disconnect(recorder.connected)
    if statuses != {200}:
        # A redirect (to sign in, or to the second factor) or an error timed as if it were the
        # page would flatter the product: refuse to report it.
        raise RuntimeError(f"{paths[0]} answered {sorted(statuses)}, not 200")
    median = statistics.median(times)
    result = {
        "median_ms": round(median, 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
        "cpu_median_ms": round(statistics.median(cpu_times), 2),
        "db_median_ms": round(statistics.median(db_times), 2),
        "queries": counts[0] if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}",
        "connections_per_request": round(recorder.connections / requests, 2),
        "status": sorted(statuses),
        "requests": requests,
        "target_ms": target,
        "over_target_ms": round(median - target, 2) if target and median >= target else 0,
    }
    reads = {sql: ms for sql, ms in by_sql.items() if sql.lstrip().upper().startswith("SELECT")}
    slowest = None
    if reads:
        # A query some requests skip (the case page's optional reads) counts 0 ms in those.
        def typical(sql: str) -> float:
            return statistics.median(reads[sql] + [0.0] * (requests - len(reads[sql])))

        sql = max(reads, key=typical)
        slowest = {
            "median_ms": round(statistics.median(reads[sql]), 2),
            "max_ms": round(worst[sql][0], 2),
            "runs_in_requests": f"{len(reads[sql])}/{requests}",
            "sql": sql,
            "params": [str(p) for p in (worst[sql][1] or ())],
            "raw_params": list(worst[sql][1] or ()),
        }
    return result, slowest


def explain(sql: str, params: list[Any]) -> list[str]:
    """The query's plan: EXPLAIN QUERY PLAN (SQLite), EXPLAIN (ANALYZE, BUFFERS) (PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        rows = cursor.fetchall()
    depth = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


# Scenarios ---------------------------------------------------------------------------------------


def scenarios(data: dict[str, Any]) -> list[tuple[str, str, list[str], float | None]]:
    """(page, role, paths, target): every queue and home page as each role that uses it; the
    heavier queue variants (paging, sorts, filters, searches) as a case handler and a manager;
    the case page over random complaints each role may open, and the busiest cases."""
    from django.urls import reverse

    from putright.casework.selectors.queues import QUEUES

    rng = random.Random(data["seed"])

    def queue(slug: str, query: str = "") -> str:
        path = reverse("casework:queue", kwargs={"queue": slug})
        return f"{path}?{query}" if query else path

    def case(reference: str) -> str:
        return reverse("casework:case", kwargs={"reference": reference})

    home = reverse("accounts:home")
    # No complaint data at all: what any request costs on this machine at the time (no target).
    found: list[tuple[str, str, list[str], float | None]] = [
        ("baseline: sign-in page", "signed out", [reverse("accounts:sign-in")], None)
    ]
    found += [("home page", role, [home], TARGET_PAGE_MS) for role in ROLES]
    for definition in QUEUES:
        for role in CASEWORK_ROLES:
            found.append(
                (f"queue {definition.slug}", role, [queue(definition.slug)], TARGET_PAGE_MS)
            )
    year = date.today().year - 1
    month = (
        f"vulnerable=yes&received_from_day=1&received_from_month=3&received_from_year={year}"
        f"&received_to_day=31&received_to_month=3&received_to_year={year}"
    )
    references = data["references"]
    variants = [
        ("queue overdue, page 3", queue("overdue", "page=3")),
        ("queue closed, page 200", queue("closed", "page=200")),
        ("queue overdue sorted by reference", queue("overdue", "sort=reference")),
        ("queue overdue sorted by received", queue("overdue", "sort=-received")),
        (
            "queue overdue filtered: stage 1, email, breached",
            queue("overdue", "stage=1&channel=email&breached=yes"),
        ),
        ("queue closed filtered: vulnerable, received in a month", queue("closed", month)),
        ("queue search: exact reference", queue("closed", f"q={references[len(references) // 3]}")),
        ("queue search: reference prefix", queue("overdue", f"q={data['open_reference'][:-2]}")),
        ("queue search: words, overdue", queue("overdue", "q=boiler+leak")),
        ("queue search: words, closed", queue("closed", "q=damp+mould")),
    ]
    for name, path in variants:
        for role in ("case handler", "complaints manager"):
            found.append((name, role, [path], TARGET_PAGE_MS))
    for role in CASEWORK_ROLES:
        # Confidential cases at a few times their share, so their extra read and write is timed.
        ordinary, secret = data["visible_references"][role]
        sample = rng.sample(secret, min(3, len(secret)))
        sample += rng.sample(ordinary, min(REQUESTS - len(sample), len(ordinary)))
        rng.shuffle(sample)
        paths = [case(r) for r in sample]
        found.append(("case page, random complaints", role, paths, TARGET_CASE_MS))
    busiest = [case(r) for r in data["busiest_references"]]
    found.append(("case page, busiest complaints", "complaints manager", busiest, TARGET_CASE_MS))
    return found


def load(seed: int) -> dict[str, Any]:
    """References each role may open, and the busiest cases (by history length)."""
    from django.db.models import Count, Q

    from putright.accounts.models import User
    from putright.complaints.models import Complaint, ComplaintEvent

    rows = list(
        Complaint.objects.order_by("id").values_list("reference", "is_confidential", "handler_id")
    )
    users = {role: User.objects.get(email=email) for role, email in ROLES.items()}
    visible = {}
    ordinary = [r for r, is_secret, _ in rows if not is_secret]
    for role in CASEWORK_ROLES:
        user = users[role]
        everything = user.has_perm("complaints.view_confidential")
        secret = [r for r, is_secret, h in rows if is_secret and (everything or h == user.pk)]
        visible[role] = (ordinary, secret)
    open_references = list(
        Complaint.objects.filter(status__in=("received", "stage1_open", "stage2_open"))
        .order_by("id")
        .values_list("reference", flat=True)
    )
    busiest = (
        ComplaintEvent.objects.values("complaint")
        .annotate(n=Count("id", filter=~Q(action="viewed")))
        .order_by("-n", "complaint")
        .values_list("complaint__reference", flat=True)[:REQUESTS]
    )
    return {
        "seed": seed,
        "references": [r for r, _, _ in rows],
        "visible_references": visible,
        "open_reference": open_references[len(open_references) // 2],
        "busiest_references": list(busiest),
    }


# Engine check: the services accept the bulk-built rows -------------------------------------------


def engine_check() -> dict[str, str]:
    """Take a few steps through the real services on the benchmark's data, each rolled back.

    If the bulk-built rows broke a rule the services check (points, decisions, sign-off,
    independence at stage 2, extension caps), these would be refused.
    """
    from django.db import transaction

    from putright.accounts.models import User
    from putright.complaints import services
    from putright.complaints.models import Action, Complaint, Stage
    from putright.core import clock

    today = clock.today()
    manager = User.objects.get(email=ROLES["complaints manager"])
    reviewers = list(User.objects.filter(groups__name="Quality reviewer").order_by("id"))

    def awaiting() -> None:
        complaint = Complaint.objects.filter(
            awaiting_sign_off=True, status="stage1_open", handler__isnull=False
        ).first()
        signer = next(r for r in reviewers if r.pk != complaint.handler_id)
        services.response_sign_off(acting_user=signer, complaint=complaint)
        services.stage_respond(acting_user=complaint.handler, complaint=complaint)

    def acknowledge() -> None:
        complaint = Complaint.objects.filter(status="received").first()
        services.stage_acknowledge(
            acting_user=manager,
            complaint=complaint,
            points=[("The repair was late.", "Finish the repair.")]
            if not Stage.objects.get(complaint=complaint).points.exists()
            else None,
        )

    def escalate() -> None:
        complaint = Complaint.objects.filter(status="stage1_responded").first()
        stage1 = Stage.objects.get(complaint=complaint, number=1)
        services.complaint_escalate(acting_user=manager, complaint=complaint)
        handler = next(r for r in reviewers if r.pk != stage1.signed_off_by_id)
        services.complaint_allocate(acting_user=manager, complaint=complaint, handler=handler)
        services.stage_acknowledge(
            acting_user=handler,
            complaint=complaint,
            stage=2,
            points=[(p.summary, p.outcome_sought) for p in stage1.points.all()],
        )

    def extend() -> None:
        stage = (
            Stage.objects.filter(
                complaint__status="stage1_open",
                extended_due__isnull=True,
                response_due__gte=today,
                responded_on__isnull=True,
            )
            .select_related("complaint")
            .first()
        )
        services.stage_extend(
            acting_user=manager,
            complaint=stage.complaint,
            new_due=stage.extension_cap,
            reason="Waiting for the surveyor's report.",
            notice_on=today,
            ombudsman_details_given=True,
        )

    def reverse() -> None:
        complaint = Complaint.objects.filter(status="not_accepted").first()
        services.refusal_reverse(
            acting_user=manager, complaint=complaint, basis="review", note="Taken on after review."
        )

    def complete_action() -> None:
        action = Action.objects.filter(status="open").select_related("complaint", "stage").first()
        services.action_complete(acting_user=manager, action=action)

    steps = {
        "sign off and issue a drafted stage 1 response": awaiting,
        "acknowledge a received complaint": acknowledge,
        "escalate, allocate and acknowledge stage 2": escalate,
        "extend a stage 1 response to its cap": extend,
        "reverse a refusal to accept": reverse,
        "complete a promised action": complete_action,
    }
    results = {}
    for name, step in steps.items():
        try:
            with transaction.atomic():
                step()
                transaction.set_rollback(True)
            results[name] = "ok"
        except Exception as error:  # report every step, whatever went wrong
            results[name] = f"refused: {type(error).__name__}: {error}"
    return results


# Running -----------------------------------------------------------------------------------------


def run(
    complaints: int | None = None,
    requests: int | None = None,
    say=print,
    database: Path | None = None,
    *,
    reuse: bool | None = None,
    analyze_first: bool | None = None,
) -> dict[str, Any]:
    """Build (or reuse) the data, time every page for every role, and explain the slow queries."""
    from benchmarks import casework_data

    started = time.perf_counter()
    complaints = complaints or int(os.environ.get("PUTRIGHT_BENCH_COMPLAINTS", DEFAULT_COMPLAINTS))
    requests = requests or int(os.environ.get("PUTRIGHT_BENCH_REQUESTS", REQUESTS))
    if reuse is None:
        reuse = os.environ.get("PUTRIGHT_BENCH_REUSE", "") not in ("", "0")
    if analyze_first is None:
        analyze_first = os.environ.get("PUTRIGHT_BENCH_ANALYZE", "1") not in ("", "0")
    with tempfile.TemporaryDirectory(prefix="putright-bench-") as folder:
        url = database_url(database or Path(folder) / "bench.sqlite3")
        setup_django(url)
        from django.db import connection, connections

        max_age = os.environ.get("PUTRIGHT_BENCH_CONN_MAX_AGE")
        if max_age is not None:
            connection.settings_dict["CONN_MAX_AGE"] = int(max_age)
        built = prepare(reuse=reuse or database is not None, say=say)
        build_info: dict[str, Any]
        if built:
            complaints = built["complaints"]
            build_info = {"reused": built}
            analyze_seconds = None
        else:
            say(f"building {complaints:,} complaints ({connection.vendor})")
            build_info = casework_data.build(complaints, say=say)
            analyze_seconds = analyze(say) if analyze_first else None
            casework_data.mark(complaints, casework_data.SEED, build_info["seconds"])
            checked = time.perf_counter()
            problems = {k: v for k, v in casework_data.check().items() if v}
            build_info["rule_check_seconds"] = round(time.perf_counter() - checked, 1)
            if problems:
                raise RuntimeError(f"the built data breaks the engine's rules: {problems}")
            say(f"  every rule checked in {build_info['rule_check_seconds']}s: no problems")
        data = load(casework_data.SEED)
        info = describe_database()
        code = describe_code()
        connections.close_all()

        from django.core.handlers.wsgi import WSGIHandler

        handler = WSGIHandler()
        browsers = {role: Browser(handler, sign_in(email)) for role, email in ROLES.items()}
        browsers["signed out"] = Browser(handler, "")
        connections.close_all()
        load_before = os.getloadavg()
        timing_started = time.perf_counter()
        results: dict[str, dict[str, Any]] = defaultdict(dict)
        for page, role, paths, target in scenarios(data):
            result, query = measure(browsers[role], paths, requests=requests, target=target)
            if query is not None:
                params = query.pop("raw_params")
                try:
                    query["plan"] = explain(query["sql"], params)
                except Exception as error:  # a plan is a help, not a reason to stop
                    query["plan"] = [f"could not explain: {error}"]
            result["slowest_query"] = query
            results[page][role] = result
            connections.close_all()
            say(
                f"  {page} ({role}): median {result['median_ms']} ms, p95 {result['p95_ms']}, "
                f"cpu {result['cpu_median_ms']}, db {result['db_median_ms']}, "
                f"{result['queries']} queries"
            )
        timing_seconds = time.perf_counter() - timing_started
        load_after = os.getloadavg()
        checks = engine_check()
        connections.close_all()
    result = {
        "complaints": complaints,
        "database": info,
        "code": code,
        "build": build_info,
        "analyze_seconds": analyze_seconds,
        "requests_per_scenario": requests,
        "warm_up_requests": WARM_UP,
        "load_average": {
            "before_timing": [round(x, 2) for x in load_before],
            "after_timing": [round(x, 2) for x in load_after],
            "cpu_count": os.cpu_count(),
        },
        "timing_seconds": round(timing_seconds, 1),
        "targets": {"queue_and_home_median_ms": TARGET_PAGE_MS, "case_median_ms": TARGET_CASE_MS},
        "misses": misses(results),
        "slowest_queries": slowest_queries(results),
        "engine_check": checks,
        "scenarios": dict(results),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    suffix = "" if info["planner_statistics"] else "-no-statistics"
    per_database = BENCH_DIR / "results" / f"casework-{info['vendor']}{suffix}.json"
    per_database.write_text(json.dumps(result, indent=2, default=str) + "\n")
    say(f"  wrote {per_database}")
    return result


def misses(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every page and role whose median missed its target, worst first."""
    missed = [
        {
            "page": page,
            "role": role,
            "median_ms": r["median_ms"],
            "target_ms": r["target_ms"],
            "over_by_ms": r["over_target_ms"],
            "db_median_ms": r["db_median_ms"],
        }
        for page, by_role in results.items()
        for role, r in by_role.items()
        if r["over_target_ms"]
    ]
    return sorted(missed, key=lambda m: -m["over_by_ms"])


def slowest_queries(results: dict[str, dict[str, Any]], top: int = 15) -> list[dict[str, Any]]:
    """Each page's slowest query, slowest first (plans are in the scenarios)."""
    found = [
        {
            "page": page,
            "role": role,
            "query_median_ms": r["slowest_query"]["median_ms"],
            "page_median_ms": r["median_ms"],
            "sql": r["slowest_query"]["sql"][:400],
        }
        for page, by_role in results.items()
        for role, r in by_role.items()
        if r.get("slowest_query")
    ]
    return sorted(found, key=lambda q: -q["query_median_ms"])[:top]


def summary(result: dict[str, Any]) -> list[str]:
    """A table for the terminal (the runner prints this instead of the whole result)."""
    database = result["database"]
    build = result["build"]
    lines = [
        f"  {result['complaints']:,} complaints on {database['version']}, connection "
        f"{database['connection']}, planner statistics: {database['planner_statistics']}",
        f"  build {build.get('seconds', 'reused')} s, ANALYZE {result['analyze_seconds']} s, "
        f"timing {result['timing_seconds']} s, load average {result['load_average']}",
        f"  {'page':<54} {'role':<18} {'median':>6} {'p95':>6} {'cpu':>6} {'db':>6} {'q':>5}"
        "  slowest query",
    ]
    for page, by_role in result["scenarios"].items():
        for role, r in by_role.items():
            flag = " *" if r["over_target_ms"] else ""
            query = r.get("slowest_query") or {}
            lines.append(
                f"  {page:<54} {role:<18} {r['median_ms']:>6.1f} {r['p95_ms']:>6.1f} "
                f"{r['cpu_median_ms']:>6.1f} {r['db_median_ms']:>6.1f} {str(r['queries']):>5}  "
                f"{query.get('median_ms', 0):.1f} ms{flag}"
            )
    lines.append(f"  * over target; {len(result['misses'])} misses")
    lines.append(f"  engine check: {result['engine_check']}")
    return lines


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
    parser.add_argument("--complaints", type=int, default=None)
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--output", type=Path, default=RESULTS_FILE)
    parser.add_argument(
        "--database",
        type=Path,
        help="SQLite: keep the generated database in this file, or reuse it if it exists already",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="PostgreSQL: time an earlier build as it is"
    )
    parser.add_argument(
        "--no-analyze", action="store_true", help="leave the database without planner statistics"
    )
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    result = run(
        args.complaints,
        args.requests,
        database=args.database,
        reuse=args.reuse or None,
        analyze_first=False if args.no_analyze else None,
    )
    print("\n".join(summary(result)))
    _write(result, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The annual complaints report at scale (issue 22): figures and page, SQLite and PostgreSQL.

Two databases, built by ``benchmarks/reports_data.py`` (finished complaints with every record
the report counts):

- ``year``: 20,000 complaints received in one reporting year (``PUTRIGHT_BENCH_REPORTS_YEAR``);
- ``five-years``: 1,000,000 complaints over five reporting years, 200,000 a year
  (``PUTRIGHT_BENCH_REPORTS_FIVE_YEARS``).

For each, on each database, the latest reporting year built is timed (``REPEATS`` runs after a
first, cold one, reported apart): ``figures(reporting_year(y))``, everything the report holds,
and the whole ``/reports/<y>/`` page (this year's and the year before's figures, rendered) as a
board member and as a complaints manager, through Django's test client with DEBUG off. Each gives
the median and worst time, the number of queries and the slowest queries of a typical run.

Targets (issue 22): the year's report under 0.5 s, the five-year database's under 2 s.

Databases are kept between runs, because the large one takes minutes to build:

- SQLite: ``reports-<size>.sqlite3`` in ``PUTRIGHT_BENCH_CACHE`` (default
  ``~/.cache/putright-bench``);
- PostgreSQL: the schema ``reports_<size>`` in the database ``bench_reports`` on the server
  ``PUTRIGHT_BENCH_REPORTS_PG`` names (default ``postgres://postgres@127.0.0.1:5432/postgres``;
  the database is created there if missing). A server that cannot be reached is skipped.

The key is a hash of ``reports_data.DATA_VERSION``, the builder's source, the size and the years
covered, and is stored in the database (table ``putright_bench_reports``) at the end of a
successful build: any other key, or no key (a build that stopped half-way), means the database
is dropped and built again. A kept database is brought up to date with migrations added since
(new indexes), then analysed again, and rebuilt if it holds migrations the code does not know.

    python benchmarks/run.py reports                                  # through the runner
    PUTRIGHT_BENCH_REPORTS_DATABASES=sqlite python benchmarks/run.py reports
    PUTRIGHT_BENCH_REPORTS_SIZES=year python benchmarks/run.py reports
    python -m benchmarks.bench_reports                                # alone

Results: ``benchmarks/results/reports.json`` (merged, so a run of one database or size keeps the
others') and, through the runner, ``latest.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results" / "reports.json"
MARKER = "BENCH-REPORTS-RESULT "
MARKER_TABLE = "putright_bench_reports"
DATA_VERSION = 1  # bump when the data built changes in a way the builder's source does not show
REPEATS = 7
SIZES = {
    "year": (int(os.environ.get("PUTRIGHT_BENCH_REPORTS_YEAR", "20000")), 1),
    "five-years": (int(os.environ.get("PUTRIGHT_BENCH_REPORTS_FIVE_YEARS", "1000000")), 5),
}
TARGET_MS = {"year": 500, "five-years": 2000}
PG_SERVER = os.environ.get(
    "PUTRIGHT_BENCH_REPORTS_PG", "postgres://postgres@127.0.0.1:5432/postgres"
)
PG_DATABASE = "bench_reports"
CACHE = Path(os.environ.get("PUTRIGHT_BENCH_CACHE", Path.home() / ".cache" / "putright-bench"))


def _chosen(variable: str, default: list[str]) -> list[str]:
    raw = os.environ.get(variable, "")
    return [x.strip() for x in raw.split(",") if x.strip()] or default


def run() -> dict[str, Any]:
    """Each database and size in a child process (Django is set up once per process)."""
    results: dict[str, Any] = {}
    for database in _chosen("PUTRIGHT_BENCH_REPORTS_DATABASES", ["sqlite", "postgresql"]):
        for size in _chosen("PUTRIGHT_BENCH_REPORTS_SIZES", list(SIZES)):
            print(f"  {database}, {size} ...", flush=True)
            results[f"{database} {size}"] = _child_run(database, size)
    _merge(results)
    return {"targets_ms": TARGET_MS, "runs": results}


def _child_run(database: str, size: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "putright.settings", "DEBUG": "false"}
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_reports", "--child", database, size],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in completed.stdout.splitlines():
        if line.startswith(MARKER):
            return json.loads(line.removeprefix(MARKER))
        print(line, flush=True)  # the child's progress
    raise RuntimeError(f"the reports benchmark failed ({database}, {size}):\n{completed.stderr}")


def _merge(results: dict[str, Any]) -> None:
    report: dict[str, Any] = {}
    if RESULTS.exists():
        try:
            report = json.loads(RESULTS.read_text())
        except json.JSONDecodeError:
            report = {}
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import machine

    report["generated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    report["machine"] = machine()
    report["targets_ms"] = TARGET_MS
    report.setdefault("runs", {}).update(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, default=str) + "\n")


def summary(result: dict[str, Any]) -> list[str]:
    lines = [
        f"  {'database, size':<24} {'complaints':>10} {'what':<18} {'median ms':>9} "
        f"{'worst ms':>9} {'cold ms':>8} {'queries':>7}  target"
    ]
    for name, run in result["runs"].items():
        if "skipped" in run:
            lines.append(f"  {name:<24} skipped: {run['skipped']}")
            continue
        for what, row in run["timings"].items():
            met = "met" if row["median_ms"] <= run["target_ms"] else "MISSED"
            lines.append(
                f"  {name:<24} {run['complaints']:>10,} {what:<18} {row['median_ms']:>9.1f} "
                f"{row['worst_ms']:>9.1f} {row['cold_ms']:>8.1f} {row['queries']:>7}  "
                f"{run['target_ms']} ms {met}"
            )
    return lines


# The child process ------------------------------------------------------------------------------


def _key(complaints: int, first_year: int, last_year: int) -> str:
    from benchmarks import reports_data

    source = Path(reports_data.__file__).read_bytes()
    text = f"{DATA_VERSION}|{reports_data.SEED}|{complaints}|{first_year}|{last_year}|"
    return hashlib.sha256(text.encode() + source).hexdigest()[:12]


def _pg_prepare(schema: str) -> str:
    """Make sure the database and the schema exist; the URL of the database."""
    import psycopg

    try:
        with psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=5) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
            ).fetchone()
            if not found:
                conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    except psycopg.OperationalError as error:
        raise _Skip(f"PostgreSQL not reachable at {PG_SERVER}: {error}") from error
    url = PG_SERVER.rsplit("/", 1)[0] + f"/{PG_DATABASE}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    return url


class _Skip(Exception):
    pass


def _stored_key() -> str | None:
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key FROM {MARKER_TABLE}")
        row = cursor.fetchone()
    return row[0] if row else None


def _migrations_fit(say) -> bool:
    """Apply migrations added since the build; False if it holds migrations the code lacks."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    unknown = set(executor.recorder.applied_migrations()) - set(executor.loader.graph.nodes)
    if unknown:
        say(f"  the kept database has migrations this code lacks: {sorted(unknown)[:3]}")
        return False
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        say(f"  applying {len(pending)} migration(s) added since the build")
        call_command("migrate", verbosity=0, interactive=False)
        _analyze()
    return True


def _analyze() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return round(time.perf_counter() - started, 1)


def _drop_everything(schema: str | None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if schema:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")


def _time(call, repeats: int = REPEATS) -> dict[str, Any]:
    """A cold first call, then ``repeats`` timed ones: median, worst, queries, slowest queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    runs = []
    for _ in range(repeats + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            runs.append(((time.perf_counter() - started) * 1000, list(captured.captured_queries)))
    cold, timed = runs[0], runs[1:]
    times = [ms for ms, _ in timed]
    counts = {len(q) for _, q in timed}
    typical = sorted(timed, key=lambda r: r[0])[len(timed) // 2][1]
    slowest = sorted(typical, key=lambda q: -float(q["time"]))[:5]
    return {
        "median_ms": round(statistics.median(times), 1),
        "worst_ms": round(max(times), 1),
        "cold_ms": round(cold[0], 1),
        "queries": max(counts),
        "queries_vary": len(counts) > 1,
        "db_ms": round(sum(float(q["time"]) for q in typical) * 1000, 1),
        "slowest_queries": [
            {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:300]} for q in slowest
        ],
    }


def child(database: str, size: str) -> dict[str, Any]:
    complaints, years = SIZES[size]
    schema = f"reports_{size.replace('-', '_')}"
    say = lambda text: print(text, flush=True)  # noqa: E731
    if database == "postgresql":
        try:
            os.environ["DATABASE_URL"] = _pg_prepare(schema)
        except _Skip as error:
            return {"skipped": str(error)}
    else:
        CACHE.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{CACHE / f'reports-{size}.sqlite3'}"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import reports_data
    from putright.core import clock

    if database == "postgresql":
        connection.settings_dict["OPTIONS"]["options"] = f"-c search_path={schema}"
    where = (
        f"{PG_DATABASE}, schema {schema}"
        if database == "postgresql"
        else str(connection.settings_dict["NAME"])
    )

    def empty() -> None:
        if connection.vendor == "sqlite":
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{connection.settings_dict['NAME']}{suffix}").unlink(missing_ok=True)
        else:
            _drop_everything(schema)
        call_command("migrate", verbosity=0, interactive=False)

    stored = _stored_key()
    if stored is None:  # new, or a build that stopped half-way
        empty()
    first_year, last_year = reports_data.reporting_years_for(years, clock.today())
    key = _key(complaints, first_year, last_year)
    build: dict[str, Any] = {"where": where, "key": key}
    if stored == key and _migrations_fit(say):
        say(f"  reusing {where} (key {key})")
        build["reused"] = True
    else:
        if stored is not None:
            empty()
        say(f"  building {complaints:,} complaints, {first_year} to {last_year}, in {where}")
        build |= reports_data.build(complaints, first_year, last_year, say=say)
        build["analyze_seconds"] = _analyze()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {MARKER_TABLE} (key varchar(20))")
            cursor.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s)", [key])
        build["reused"] = False
    return measure(database, size, complaints, last_year, build)


def measure(
    database: str, size: str, complaints: int, year: int, build: dict[str, Any]
) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from putright.accounts.models import User
    from putright.complaints.models import Stage
    from putright.reporting.annual import figures
    from putright.reporting.periods import reporting_year

    period = reporting_year(year)
    in_year = Stage.objects.filter(number=1, received_on__range=(period.start, period.end))
    timings = {"figures()": _time(lambda: figures(reporting_year(year)))}
    with override_settings(
        ALLOWED_HOSTS=["testserver"], DEBUG=False, PUTRIGHT_TWO_FACTOR_REQUIRED_FOR=[]
    ):
        for role, email in (
            ("page, board", "board@bench-reports.putright.test"),
            ("page, manager", "manager@bench-reports.putright.test"),
        ):
            client = Client()
            client.force_login(User.objects.get(email=email))

            def page(client=client) -> None:
                response = client.get(f"/reports/{year}/")
                if response.status_code != 200:
                    raise RuntimeError(f"/reports/{year}/: {response.status_code}")

            timings[role] = _time(page)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            import sqlite3

            version = f"SQLite {sqlite3.sqlite_version}"
    return {
        "database": version,
        "complaints": complaints,
        "stage1_received_in_year": in_year.count(),
        "year": period.label,
        "target_ms": TARGET_MS[size],
        "build": build,
        "timings": timings,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        result = child(sys.argv[2], sys.argv[3])
        print(MARKER + json.dumps(result, default=str), flush=True)
    else:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        outcome = run()
        print("\n".join(summary(outcome)))

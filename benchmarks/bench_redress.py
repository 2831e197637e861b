"""The compensation payments register at 100,000 payments (``PUTRIGHT_BENCH_PAYMENTS``).

Payments hang off 2,000 complaints (one per 50 payments), each amount drawn in seed 000's
proportions (``putright.demo.redress``), offered over three financial years, in every status.
Complaints and stages are copied from one logged through the services; remedies and compensation
are bulk-inserted. Timed through Django's test client as a complaints manager (median of
``REPEATS`` runs, with the number of queries each page made):

- the register unfiltered, its first and its last page;
- filtered by financial year and status, by band, and by head of loss and "ordered";
- the CSV export of one financial year, and the XLSX export of the Ombudsman's orders.

Like the outbox benchmark it runs in a child process with a throwaway SQLite database
(``PUTRIGHT_VAR_DIR``), never ``DATABASE_URL``'s. Run alone: ``python benchmarks/run.py redress``;
``PUTRIGHT_BENCH_PAYMENTS=2000`` for a quick check that it works.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAYMENTS = int(os.environ.get("PUTRIGHT_BENCH_PAYMENTS", "100000"))
PER_COMPLAINT = 50
REPEATS = 5
SEED = 20260401
MARKER = "BENCH-REDRESS-RESULT "


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="putright-bench-redress-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env |= {
            "PUTRIGHT_VAR_DIR": folder,
            "DJANGO_SETTINGS_MODULE": "putright.settings",
            "DEBUG": "false",
        }
        completed = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_redress", str(PAYMENTS)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    for line in completed.stdout.splitlines():
        if line.startswith(MARKER):
            return json.loads(line.removeprefix(MARKER))
    raise RuntimeError(f"the redress benchmark failed:\n{completed.stdout}\n{completed.stderr}")


def summary(result: dict[str, Any]) -> list[str]:
    lines = [
        f"  {result['payments']:,} payments on {result['complaints']:,} complaints, "
        f"{result['database']} (built in {result['build_seconds']} s)"
    ]
    for name, row in result["pages"].items():
        lines.append(
            f"  {name:<28}: median {row['median_ms']:>8.1f} ms, {row['queries']} queries"
            + (f", {row['rows']:,} rows" if "rows" in row else "")
        )
    return lines


# The child process ------------------------------------------------------------------------------


def _build(payments: int) -> dict[str, Any]:
    """Complaints copied from one logged through the services; remedies and compensation
    bulk-inserted in seed 000's proportions."""
    from datetime import date, timedelta

    from django.utils import timezone

    from putright.accounts.models import User
    from putright.complaints import services
    from putright.complaints.models import Complaint, Remedy, RemedyKind, Stage
    from putright.demo.redress import compensation_amount, heads_split
    from putright.organisation.models import Category
    from putright.people.services import resident_create
    from putright.redress.models import Compensation

    rng = random.Random(SEED)
    officer = User.objects.create_user(
        email="officer@bench.putright.test", password=None, full_name="Bench Officer"
    )
    resident = resident_create(acting_user=officer, first_name="Rita", last_name="Resident")
    first = services.complaint_log(
        acting_user=officer,
        handler=officer,
        complainant=resident,
        channel="email",
        received_at=timezone.now() - timedelta(days=1),
        description="The damp is back.",
    )
    stage = Stage.objects.get(complaint=first)
    categories = list(Category.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    count = max(1, payments // PER_COMPLAINT)

    def fields(row: Any, *skip: str) -> dict[str, Any]:
        return {
            f.attname: getattr(row, f.attname)
            for f in type(row)._meta.concrete_fields
            if f.attname not in ("id", *skip)
        }

    template = fields(first, "reference", "category_id")
    Complaint.objects.bulk_create(
        (
            Complaint(
                **template,
                reference=f"B-{i:07d}",
                category_id=rng.choice(categories) if categories else None,
            )
            for i in range(count - 1)
        ),
        batch_size=2_000,
    )
    complaint_ids = [first.pk, *Complaint.objects.exclude(pk=first.pk).values_list("pk", flat=True)]
    template = fields(stage, "complaint_id")
    Stage.objects.bulk_create(
        (Stage(**template, complaint_id=complaint_id) for complaint_id in complaint_ids[1:]),
        batch_size=2_000,
    )
    stage_of = dict(Stage.objects.values_list("complaint_id", "pk"))

    start = date.today() - timedelta(days=3 * 365)
    remedies, rows = [], []
    for i in range(payments):
        complaint_id = complaint_ids[i % len(complaint_ids)]
        amount = compensation_amount(rng)
        remedies.append(
            Remedy(
                stage_id=stage_of[complaint_id],
                kind=RemedyKind.COMPENSATION,
                description="For the delay.",
                amount_pence=amount,
            )
        )
        offered_on = start + timedelta(days=rng.randrange(3 * 365))
        status = rng.choices(
            ["paid", "approved", "accepted", "offered", "declined"], [80, 4, 4, 7, 5]
        )[0]
        pick = rng.random()
        rows.append(
            Compensation(
                stage_id=stage_of[complaint_id],
                complaint_id=complaint_id,
                amount_pence=amount,
                ombudsman="ordered" if pick < 0.03 else "recommended" if pick < 0.04 else "none",
                status=status,
                offered_on=offered_on,
                paid_on=offered_on + timedelta(days=14) if status == "paid" else None,
                method="bank_transfer" if status == "paid" else "",
                **heads_split(rng, amount),
            )
        )
    Remedy.objects.bulk_create(remedies, batch_size=5_000)
    for remedy, row in zip(remedies, rows, strict=True):
        row.remedy_id = remedy.pk
    Compensation.objects.bulk_create(rows, batch_size=5_000)
    return {"complaints": len(complaint_ids)}


def _time(client: Any, path: str, data: dict | None = None) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, rows = [], 0, None
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, data or {})
            if response.streaming:
                body = b"".join(response.streaming_content)
                rows = body.count(b"\n") - 1
            else:
                body = response.content
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} {data}: {response.status_code}")
        queries = len(captured)
    result = {"median_ms": round(statistics.median(timings), 1), "queries": queries}
    if rows is not None:
        result["rows"] = rows
    return result


def child(payments: int) -> dict[str, Any]:
    import django

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from putright.accounts.models import User
    from putright.accounts.roles import COMPLAINTS_MANAGER
    from putright.redress.selectors import financial_year_of

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    built = _build(payments)
    build_seconds = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    setup_test_environment()
    manager = User.objects.create_user(
        email="manager@bench.putright.test", password=None, full_name="Bench Manager"
    )
    manager.groups.add(Group.objects.get(name=COMPLAINTS_MANAGER))
    client = Client()
    with override_settings(
        ALLOWED_HOSTS=["testserver"], PUTRIGHT_TWO_FACTOR_REQUIRED_FOR=[], DEBUG=False
    ):
        client.force_login(manager)
        from datetime import date

        year = financial_year_of(date.today()) - 1
        last_page = max(1, -(-payments // 50))
        path = "/compensation/register/"
        pages = {
            "register": _time(client, path),
            "register, last page": _time(client, path, {"page": str(last_page)}),
            "year and status": _time(client, path, {"year": str(year), "status": "paid"}),
            "band 100-600": _time(client, path, {"band": "100-600"}),
            "head and ordered": _time(
                client, path, {"head": "costs_pence", "ombudsman": "ordered"}
            ),
            "CSV, one year": _time(client, path + "export.csv", {"year": str(year)}),
            "XLSX, ordered": _time(client, path + "export.xlsx", {"ombudsman": "ordered"}),
        }
    return {
        "payments": payments,
        "complaints": built["complaints"],
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "build_seconds": build_seconds,
        "pages": pages,
    }


if __name__ == "__main__":
    result = child(int(sys.argv[1]) if len(sys.argv) > 1 else PAYMENTS)
    print(MARKER + json.dumps(result))

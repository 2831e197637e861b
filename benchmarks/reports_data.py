"""The reports benchmark's data: years of finished complaints, generated inside the database.

``build(complaints, first_year, last_year)`` fills an empty, migrated database with staff,
homes, residents with tenancies and equality answers (many of them unknown), and
``complaints`` complaints received evenly over the reporting years ``first_year`` to
``last_year``, with every record the annual report counts:

- stage 1 for every complaint, acknowledged (7% late) and answered (8% late, 15% after one or
  two extensions within the Code's cap), an outcome and root causes, one to three points of
  complaint each with a decision that gives that outcome;
- stage 2 for about one complaint in nine, escalated 1 to 18 working days after the stage 1
  response, on the same pattern with the stage 2 timescales;
- refusals with a reason from the seeded exclusion list: not accepted (4%), escalation refused
  (1%) and a few refusals reversed on review; withdrawals (7%);
- channels, categories, business areas and tenures in realistic proportions (so the TSM split
  and every breakdown have rows), compensation on a fifth of the upheld stage 1 responses (most
  of it paid), stock counts for every year, and Ombudsman cases on a few stage 2 complaints, with
  findings, orders and requests for information.

Every date comes from the real working-day calendar (``current_calendar()``): a table of working
days is written first and each step is "the n-th working day after" a join into it, so due dates
and the "within the Code" flags are what the services would have recorded. Nothing happens after
today: the last reporting year built ends at least 200 days before it, so every complaint has run
its course (the report counts finished facts; open cases add nothing to its cost).

The rows are written set-based: a handful of ``INSERT ... SELECT`` statements over a numbered
series, with each complaint's random choices drawn from multiplicative hashes of its number, so
the same arguments give the same data on SQLite and PostgreSQL. A million complaints (about five
million rows) take a few minutes.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

SEED = 20260402
P = 2_147_483_647  # 2**31 - 1: the modulus of the hashes
BENCH_DOMAIN = "bench-reports.putright.test"
CACHE_KIB = 1_500_000  # SQLite's page cache while building
CASE_HANDLERS = 16
REVIEWERS = 4

# Shares, per mille of complaints unless said otherwise.
NOT_ACCEPTED = 40
WITHDRAWN = 70  # next 70
ESCALATION_REFUSED = 10  # next 10
ESCALATED = 130  # of the rest
REVERSED_REFUSAL = 10  # of the rest
ACK_LATE = 70
EXTEND_TWICE = 30
EXTEND_ONCE = 120  # next 120
RESPOND_LATE = 80
COMPENSATION = 200  # of stage 1 responses upholding something
OMBUDSMAN_ONE_IN = 40  # stage 2 complaints

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
OUTCOMES = {
    1: {"upheld": 45, "partly_upheld": 30, "not_upheld": 25},
    2: {"upheld": 25, "partly_upheld": 30, "not_upheld": 45},
}
POINT_COUNTS = {1: 50, 2: 35, 3: 15}
ROOT_CAUSES = (  # the lists a response records, equally likely
    [],
    ["delay"],
    ["delay", "communication"],
    ["failure_to_act"],
    ["quality_of_work"],
    ["communication"],
    ["quality_of_work", "delay"],
    ["staff_conduct"],
    ["policy"],
    ["other"],
    ["failure_to_act", "communication", "delay"],
)
OMBUDSMAN_OUTCOMES = {
    "severe_maladministration": 3,
    "maladministration": 35,
    "service_failure": 20,
    "reasonable_redress": 10,
    "no_maladministration": 22,
    "outside_jurisdiction": 5,
    "mediation": 3,
    "withdrawn": 2,
}
# Equality monitoring, per mille of residents: answers usually collected at sign-up, with many
# unknowns (seed 002, section 4); weights within each question.
EQUALITY_ANSWERED = 650
DISABILITY_DISCLOSED = 120
AGE_BANDS = {
    **{"16_24": 6, "25_34": 14, "35_44": 17, "45_54": 17, "55_64": 15, "65_74": 10},
    **{"75_plus": 7, "not_said": 2, "": 12},
}
ETHNICITIES = {
    **{"white": 48, "black": 12, "asian": 10, "mixed": 5, "other": 4},
    **{"not_said": 5, "": 16},
}
AMOUNTS_PENCE = (2_500, 5_000, 7_500, 10_000, 15_000, 25_000, 50_000, 100_000)


def reporting_years_for(years: int, today: dt.date) -> tuple[int, int]:
    """The ``years`` latest reporting years that ended at least 200 days before ``today``."""
    from putright.organisation.selectors import get_organisation

    organisation = get_organisation()
    last = organisation.reporting_year_of(today)
    while organisation.reporting_year_bounds(last)[1] + dt.timedelta(days=200) > today:
        last -= 1
    return last - years + 1, last


class _Sql:
    """Vendor differences, and the hashes every random choice is drawn from."""

    def __init__(self, connection: Any, seed: int):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        rng = random.Random(seed)
        self.multipliers = [rng.randrange(10**9, P) for _ in range(40)]
        self.scramble = rng.randrange(10**9, P)

    def r(self, stream: int, mod: int = 1000) -> str:
        """Column ``m`` (the scrambled complaint number) hashed into 0..mod-1, per stream."""
        return f"((s.m * {self.multipliers[stream]}) %% {P} %% {mod})"

    def weighted(self, stream: int, mix: dict[str, float], quote: bool = True) -> str:
        """A CASE picking a key of ``mix`` with its weight (keys as SQL string literals)."""
        total = sum(mix.values())
        roll = self.r(stream, 10_000)
        parts, edge = [], 0.0
        for key, weight in list(mix.items())[:-1]:
            edge += weight
            value = f"'{key}'" if quote else str(key)
            parts.append(f"WHEN {roll} < {round(edge / total * 10_000)} THEN {value}")
        last = next(reversed(mix))
        otherwise = f"'{last}'" if quote else str(last)
        return f"(CASE {' '.join(parts)} ELSE {otherwise} END)"

    def pick(self, stream: int, values: list) -> str:
        """A CASE picking one of ``values`` (ids or numbers) evenly."""
        roll = self.r(stream, len(values))
        whens = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(values[:-1]))
        return f"(CASE {roll} {whens} ELSE {values[-1]} END)" if len(values) > 1 else str(values[0])

    def json(self, text: str) -> str:
        return f"CAST('{text}' AS jsonb)" if self.postgres else f"'{text}'"

    def at_ten(self, day: str) -> str:
        """10:00 UTC on a date column, as a stored aware datetime."""
        return f"({day} + TIME '10:00')" if self.postgres else f"({day} || ' 10:00:00')"

    def execute(self, sql: str, params: list | tuple = ()) -> int:
        if not params:  # Django's cursors read %% as % only when given parameters
            sql = sql.replace("%%", "%")
        with self.connection.cursor() as cursor:
            cursor.execute(sql, list(params) if params else None)
            return cursor.rowcount

    def insert(self, model: Any, values: dict[str, str], source: str) -> int:
        """INSERT INTO the model's table SELECT ``values`` (column attname -> SQL) FROM
        ``source``; every other column gets the model field's default (``auto_now`` columns
        the time of the build), as a parameter."""
        from django.utils import timezone

        quote = self.connection.ops.quote_name
        now = timezone.now()
        columns, selects, params = [], [], []
        for field in model._meta.concrete_fields:
            columns.append(quote(field.column))
            if field.attname in values:
                selects.append(values[field.attname])
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default = now
            elif field.has_default() or field.empty_strings_allowed and not field.null:
                default = field.get_default()
            elif field.null:
                selects.append("NULL")
                continue
            else:
                raise ValueError(f"{model.__name__}.{field.attname} needs a value")
            selects.append("%s")
            params.append(field.get_db_prep_save(default, self.connection))
        table = quote(model._meta.db_table)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(selects)} {source}"
        return self.execute(sql, params)


def _equality(sql: _Sql, people: int) -> dict[str, int]:
    """Equality answers for ``EQUALITY_ANSWERED`` of the residents, each question left blank or
    answered "prefer not to say" now and then, and a disclosed disability for
    ``DISABILITY_DISCLOSED`` of them (one in ten no longer active). Resident rows reuse the
    complaints' hash streams: a resident and a complaint that share a number are unrelated."""
    from putright.people.models import DisclosedDisability, EqualityData

    series = f"FROM bench_series s WHERE s.n <= {people}"
    answers = {
        "age_band": AGE_BANDS,
        "sex": {"female": 52, "male": 40, "not_said": 3, "": 5},
        "ethnicity": ETHNICITIES,
    }
    rows = {
        "equality answers": sql.insert(
            EqualityData,
            {
                "resident_id": "s.n",
                **{
                    key: sql.weighted(stream, mix)
                    for stream, (key, mix) in enumerate(answers.items(), start=2)
                },
            },
            f"{series} AND {sql.r(1)} < {EQUALITY_ANSWERED}",
        )
    }
    rows["disclosed disabilities"] = sql.insert(
        DisclosedDisability,
        {
            "id": "s.n",
            "resident_id": "s.n",
            "description": "'Recorded at sign-up'",
            "disclosed_on": "'2020-04-01'" if not sql.postgres else "DATE '2020-04-01'",
            "next_review_on": "'2027-04-01'" if not sql.postgres else "DATE '2027-04-01'",
            "is_active": f"({sql.r(6, 10)} > 0)",
        },
        f"{series} AND {sql.r(5)} < {DISABILITY_DISCLOSED}",
    )
    return rows


def _day(value: dt.date, postgres: bool) -> Any:
    return value if postgres else value.isoformat()


def build(
    complaints: int, first_year: int, last_year: int, *, seed: int = SEED, say=print
) -> dict[str, Any]:
    """Migrate the empty database and fill it; returns the counts of what was made."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from putright.accounts.roles import sync_roles

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    sync_roles()
    say(f"  migrated in {time.perf_counter() - started:.1f}s")
    if connection.vendor == "sqlite":
        # Every index of a big table is written in random order: with SQLite's default 2 MB
        # cache that thrashes; a large cache keeps the build to minutes.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    with transaction.atomic():
        counts = _fill(_Sql(connection, seed), complaints, first_year, last_year, say)
    say("  rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    return {"seconds": round(time.perf_counter() - started, 1), "rows": counts}


def _fill(sql: _Sql, n: int, first_year: int, last_year: int, say) -> dict[str, int]:
    from django.contrib.auth.models import Group
    from django.core.management.color import no_style

    from putright.accounts.models import User
    from putright.accounts.roles import (
        BOARD_MEMBER,
        CASE_HANDLER,
        COMPLAINTS_MANAGER,
        QUALITY_REVIEWER,
    )
    from putright.complaints.models import (
        Complaint,
        Decision,
        Extension,
        Point,
        Refusal,
        Remedy,
        Stage,
    )
    from putright.complaints.report_copies import copy_onto_stages
    from putright.core import clock
    from putright.ombudsman.models import (
        Finding as OmbudsmanFinding,
    )
    from putright.ombudsman.models import (
        InformationRequest,
        OmbudsmanCase,
        Order,
    )
    from putright.organisation.models import BusinessArea, Category, ExclusionReason, StockCount
    from putright.organisation.selectors import current_calendar, get_organisation
    from putright.people.models import Property, Resident, Tenancy
    from putright.redress.models import Compensation

    if n > 1_000_000:
        raise ValueError("the series goes to 1,000,000 complaints")
    organisation = get_organisation()
    calendar = current_calendar()
    today = clock.today()
    first_day = organisation.reporting_year_bounds(first_year)[0]
    last_day = organisation.reporting_year_bounds(last_year)[1]
    if last_day + dt.timedelta(days=200) > today:
        raise ValueError(f"{last_year} ends too near today for every complaint to have finished")
    counts: dict[str, int] = {}
    started = time.perf_counter()

    # Staff and reference lists.
    groups = {g.name: g for g in Group.objects.all()}
    handlers, reviewers = [], []
    for i in range(CASE_HANDLERS + REVIEWERS):
        user = User.objects.create_user(
            email=f"handler{i}@{BENCH_DOMAIN}", password=None, full_name=f"Handler {i}"
        )
        reviewer = i >= CASE_HANDLERS
        user.groups.add(groups[QUALITY_REVIEWER if reviewer else CASE_HANDLER])
        (reviewers if reviewer else handlers).append(user.pk)
    for email, name, group in (
        (f"manager@{BENCH_DOMAIN}", "Mina Manager", COMPLAINTS_MANAGER),
        (f"board@{BENCH_DOMAIN}", "Bola Board", BOARD_MEMBER),
    ):
        User.objects.create_user(email=email, password=None, full_name=name).groups.add(
            groups[group]
        )
    manager = User.objects.get(email=f"manager@{BENCH_DOMAIN}").pk
    categories = list(Category.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    if not BusinessArea.objects.exists():
        BusinessArea.objects.bulk_create(
            BusinessArea(name=name)
            for name in ("Repairs", "Housing management", "Income", "Estate services")
        )
    areas = list(BusinessArea.objects.values_list("pk", flat=True))
    reasons = {
        kind: list(
            ExclusionReason.objects.filter(is_active=True, applies_to__in=(kind, "both"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for kind in ("acceptance", "escalation")
    }
    per_year = n // (last_year - first_year + 1)
    StockCount.objects.bulk_create(
        StockCount(reporting_year=year, tenure=tenure, homes=homes)
        for year in range(first_year, last_year + 2)
        for tenure, homes in (("LCRA", per_year * 20), ("LCHO", per_year * 2))
    )

    # Helper tables: numbers, calendar days and working days.
    postgres = sql.postgres
    date_type, big = ("date", "bigint") if postgres else ("text", "integer")
    for statement in (
        f"CREATE TABLE bench_thousand (k {big} PRIMARY KEY)",
        f"CREATE TABLE bench_series (n {big} PRIMARY KEY, m {big})",
        f"CREATE TABLE bench_day (k {big} PRIMARY KEY, day {date_type}, w {big})",
        f"CREATE TABLE bench_workday (w {big} PRIMARY KEY, day {date_type})",
    ):
        sql.execute(statement)
    with sql.connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_thousand VALUES (%s)", [(k,) for k in range(1, 1001)])
        margin_start = first_day - dt.timedelta(days=40)
        day, w, days, workdays = margin_start, 0, [], []
        while day <= today + dt.timedelta(days=400):
            if calendar.is_working_day(day):
                w += 1
                workdays.append((w, _day(day, postgres)))
            days.append(((day - first_day).days, _day(day, postgres), w))
            day += dt.timedelta(days=1)
        cursor.executemany("INSERT INTO bench_day VALUES (%s, %s, %s)", days)
        cursor.executemany("INSERT INTO bench_workday VALUES (%s, %s)", workdays)
    today_w = next(w for k, d, w in reversed(days) if d == _day(today, postgres))
    span = (last_day - first_day).days + 1
    sql.execute(
        "INSERT INTO bench_series SELECT (a.k - 1) * 1000 + b.k, "
        f"((a.k - 1) * 1000 + b.k) * {sql.scramble} %% {P} "
        "FROM bench_thousand a, bench_thousand b "
        "WHERE (a.k - 1) * 1000 + b.k <= %s",
        [n],
    )

    # The plan: each complaint's path and the working-day index of each of its steps. Built in
    # layers of subqueries, each naming what the next one uses.
    r, weighted = sql.r, sql.weighted
    late1, late2 = r(6), r(16)
    layer1 = f"""
        SELECT s.n, s.m, {r(0, span)} AS recv_k,
          CASE WHEN {r(11)} < {NOT_ACCEPTED} THEN 1
               WHEN {r(11)} < {NOT_ACCEPTED + WITHDRAWN} THEN 2
               WHEN {r(11)} < {NOT_ACCEPTED + WITHDRAWN + ESCALATION_REFUSED} THEN 3
               WHEN {r(12)} < {ESCALATED} THEN 5 ELSE 4 END AS path,
          CASE WHEN {r(27)} < {REVERSED_REFUSAL} THEN 1 ELSE 0 END AS reversed,
          CASE WHEN {r(1)} < {ACK_LATE} THEN 6 + {r(2, 4)} ELSE 1 + {r(2, 5)} END AS ack_days,
          CASE WHEN {r(3)} < {EXTEND_TWICE} THEN 1 + {r(4, 5)}
               WHEN {r(3)} < {EXTEND_TWICE + EXTEND_ONCE} THEN 2 + {r(4, 9)} ELSE 0 END AS e1,
          CASE WHEN {r(3)} < {EXTEND_TWICE} THEN 1 + {r(5, 5)} ELSE 0 END AS e2,
          CASE WHEN {late1} < {RESPOND_LATE} THEN 1 ELSE 0 END AS late,
          {r(7, 1000)} AS rd,
          CASE WHEN {r(14)} < {ACK_LATE} THEN 6 + {r(15, 4)} ELSE 1 + {r(15, 5)} END AS ack2_days,
          CASE WHEN {r(17)} < 100 THEN 2 + {r(18, 19)} ELSE 0 END AS e21,
          CASE WHEN {late2} < {RESPOND_LATE} THEN 1 ELSE 0 END AS late2,
          {r(19, 1000)} AS rd2,
          1 + {r(13, 18)} AS escalate_days,
          {weighted(8, {1: 45, 2: 30, 3: 25}, quote=False)} AS outcome1,
          {weighted(20, {1: 25, 2: 30, 3: 45}, quote=False)} AS outcome2,
          {weighted(9, POINT_COUNTS, quote=False)} AS points1,
          {weighted(21, POINT_COUNTS, quote=False)} AS points2,
          {r(10, len(ROOT_CAUSES))} AS rc1, {r(22, len(ROOT_CAUSES))} AS rc2,
          CASE WHEN {r(26)} < 600 THEN 1 ELSE 0 END AS withdrawn_acked,
          d.w AS recv_w
        FROM bench_series s JOIN bench_day d ON d.k = {r(0, span)}
    """
    layer2 = f"""
        SELECT l.*,
          CASE WHEN l.path = 1 OR (l.path = 2 AND l.withdrawn_acked = 0) THEN NULL
               ELSE l.recv_w + l.ack_days END AS ack_w,
          l.recv_w + l.ack_days + 10 AS due_w,
          CASE WHEN l.ack_days < 5 THEN l.recv_w + l.ack_days ELSE l.recv_w + 5 END + 10
            AS on_time_w
        FROM ({layer1}) l
    """
    # On time: within 10 working days of the acknowledgement, or after the first due date
    # within an extension; late: up to 8 working days after the last due date.
    layer3 = f"""
        SELECT l.*,
          CASE WHEN l.path IN (1, 2) THEN NULL
               WHEN l.late = 1 THEN l.due_w + l.e1 + l.e2 + 1 + l.rd %% 8
               WHEN l.e1 > 0 THEN l.due_w + 1 + l.rd %% (l.e1 + l.e2)
               ELSE l.ack_w + 3 + l.rd %% 8 END AS responded_w
        FROM ({layer2}) l
    """
    layer4 = f"""
        SELECT l.*,
          CASE WHEN l.path = 5 THEN l.responded_w + l.escalate_days END AS recv2_w
        FROM ({layer3}) l
    """
    layer5 = f"""
        SELECT l.*, l.recv2_w + l.ack2_days AS ack2_w, l.recv2_w + l.ack2_days + 20 AS due2_w,
          CASE WHEN l.ack2_days < 5 THEN l.recv2_w + l.ack2_days ELSE l.recv2_w + 5 END + 20
            AS on_time2_w
        FROM ({layer4}) l
    """
    layer6 = f"""
        SELECT l.*,
          CASE WHEN l.path <> 5 THEN NULL
               WHEN l.late2 = 1 THEN l.due2_w + l.e21 + 1 + l.rd2 %% 8
               WHEN l.e21 > 0 THEN l.due2_w + 1 + l.rd2 %% l.e21
               ELSE l.ack2_w + 3 + l.rd2 %% 18 END AS responded2_w
        FROM ({layer5}) l
    """
    columns = [
        *("n", "m", "recv_k", "path", "reversed", "ack_days", "e1", "e2", "late", "rd"),
        *("ack2_days", "e21", "late2", "rd2", "escalate_days", "outcome1", "outcome2"),
        *("points1", "points2", "rc1", "rc2", "withdrawn_acked", "recv_w", "ack_w", "due_w"),
        *("on_time_w", "responded_w", "recv2_w", "ack2_w", "due2_w", "on_time2_w"),
        "responded2_w",
    ]
    sql.execute(
        f"CREATE TABLE bench_plan ({', '.join(f'{c} {big}' for c in columns)}, PRIMARY KEY (n))"
    )
    sql.execute(f"INSERT INTO bench_plan ({', '.join(columns)}) {layer6} WHERE 1 = %s", [1])
    latest = "SELECT max(responded2_w), max(responded_w) FROM bench_plan WHERE %s = %s"
    with sql.connection.cursor() as cursor:
        cursor.execute(latest, [1, 1])
        latest_w = max(v or 0 for v in cursor.fetchone())
    if latest_w + 30 > today_w:  # escalation refusals come up to 12 working days later
        raise ValueError("the plan has steps after today")
    say(f"  planned {n:,} complaints in {time.perf_counter() - started:.1f}s")

    # People: residents, homes and their tenancies (the tenure at receipt comes from them).
    people, homes = max(100, n * 6 // 10), max(100, n // 2)
    series = "FROM bench_series s WHERE s.n <= {}"
    counts["homes"] = sql.insert(
        Property,
        {
            "id": "s.n",
            "uprn": "CAST(100000000 + s.n AS TEXT)" if not postgres else "(100000000 + s.n)::text",
            "address_line_1": "'1 Cedar Road'",
            "town": "'Greenway'",
            "postcode": "'GW1 1AB'",
        },
        series.format(homes),
    )
    # Each resident's kind follows the tenure their tenancy is given below (same stream).
    kind = (
        f"(CASE {weighted(30, TENURE_MIX)} WHEN 'lcho_shared_ownership' THEN 'shared_owner' "
        "WHEN 'leaseholder' THEN 'leaseholder' WHEN 'other' THEN 'former_resident' "
        "ELSE 'tenant' END)"
    )
    counts["residents"] = sql.insert(
        Resident,
        {"id": "s.n", "first_name": "'Rita'", "last_name": "'Resident'", "kind": kind},
        series.format(people),
    )
    counts.update(_equality(sql, people))
    counts["tenancies"] = sql.insert(
        Tenancy,
        {
            "id": "s.n",
            "resident_id": "s.n",
            "property_id": f"((s.n - 1) %% {homes}) + 1",
            "tenure": weighted(30, TENURE_MIX),
            "start_date": "'2015-04-01'" if not postgres else "DATE '2015-04-01'",
        },
        series.format(people),
    )

    # Complaints.
    status = (
        "(CASE p.path WHEN 1 THEN 'not_accepted' WHEN 2 THEN 'withdrawn' "
        "WHEN 3 THEN 'escalation_refused' WHEN 4 THEN 'closed' ELSE 'stage2_responded' END)"
    )
    plan = "FROM bench_plan p JOIN bench_series s ON s.n = p.n "
    received = (
        "CASE WHEN p.reversed = 1 AND p.path IN (4, 5) THEN rv.day ELSE d.day END"  # refused first
    )
    counts["complaints"] = sql.insert(
        Complaint,
        {
            "id": "p.n",
            "reference": "'R-' || p.n" if not postgres else "'R-' || p.n::text",
            "complainant_id": "t.resident_id",
            "property_id": "t.property_id",
            "tenure_at_receipt": "t.tenure",
            "channel": weighted(31, CHANNEL_MIX),
            "received_at": sql.at_ten(f"({received})"),
            "received_on": f"({received})",
            "logged_at": sql.at_ten(f"({received})"),
            "category_id": sql.pick(32, categories) if categories else "NULL",
            "business_area_id": sql.pick(33, areas),
            "description": "'The repair was not done and nobody called back.'",
            "status": status,
            "closure_reason": "CASE WHEN p.path = 4 THEN 'not_escalated' ELSE '' END",
            "stage_number": "CASE WHEN p.path = 5 THEN 2 ELSE 1 END",
            "handler_id": f"CASE WHEN p.path = 5 THEN {sql.pick(36, reviewers[1:])} "
            f"ELSE {sql.pick(34, handlers)} END",
            "version": "6",
        },
        plan + f"JOIN bench_day d ON d.k = p.recv_k "
        f"JOIN people_tenancy t ON t.id = 1 + {r(35, P)} %% {people} "
        "LEFT JOIN bench_workday rv ON rv.w = p.recv_w - 6",
    )

    # Stages.
    def workday(alias: str, w: str) -> str:
        return f"LEFT JOIN bench_workday {alias} ON {alias}.w = {w} "

    root_causes = " ".join(
        f"WHEN {i} THEN {sql.json(_json(causes))}" for i, causes in enumerate(ROOT_CAUSES)
    )
    finding = "(CASE {} WHEN 1 THEN 'upheld' WHEN 2 THEN 'partly_upheld' ELSE 'not_upheld' END)"
    true = "(1 = 1)"

    def stage_values(number: int) -> dict[str, str]:
        s = "" if number == 1 else "2"
        ext = "p.e1 + p.e2" if number == 1 else "p.e21"
        handler = sql.pick(34, handlers) if number == 1 else sql.pick(36, reviewers[1:])
        o, points = f"p.outcome{number}", f"p.points{number}"
        return {
            "id": "p.n" if number == 1 else f"{n} + p.n",
            "complaint_id": "p.n",
            "number": str(number),
            "received_on": "d.day" if number == 1 else "rcv.day",
            "handler_id": handler,
            "acknowledged_on": "ack.day",
            "acknowledgement_due": "ackdue.day",
            "response_due": f"CASE WHEN p.ack{s}_w IS NULL THEN NULL ELSE due.day END",
            "response_due_if_acknowledged_on_time": f"CASE WHEN p.ack{s}_w IS NULL THEN NULL "
            "ELSE ontime.day END",
            "extended_due": f"CASE WHEN p.responded{s}_w IS NULL OR {ext} = 0 THEN NULL "
            "ELSE ext.day END",
            "extension_cap": f"CASE WHEN p.ack{s}_w IS NULL THEN NULL ELSE cap.day END",
            "responded_on": "resp.day",
            "ack_within_code": f"CASE WHEN p.ack{s}_w IS NULL THEN NULL "
            f"ELSE p.ack{s}_days <= 5 END",
            "response_within_code": f"CASE WHEN p.responded{s}_w IS NULL THEN NULL "
            f"ELSE p.responded{s}_w <= p.due{s}_w END",
            "response_within_extension": f"CASE WHEN p.responded{s}_w IS NULL OR {ext} = 0 "
            f"THEN NULL ELSE p.responded{s}_w <= p.due{s}_w + {ext} END",
            "outcome": f"CASE WHEN p.responded{s}_w IS NULL THEN '' "
            f"ELSE {finding.format(f'p.outcome{number}')} END",
            # How many points got each finding, as stage_respond stores them: the decisions
            # below give every point the outcome's finding, except a partly upheld response with
            # several points, whose first point is upheld and the others not.
            **{
                f"points_{name}": f"CASE WHEN p.responded{s}_w IS NULL THEN NULL {cases} END"
                for name, cases in (
                    (
                        "upheld",
                        f"WHEN {o} = 1 THEN {points} WHEN {o} = 2 AND {points} > 1 THEN 1 ELSE 0",
                    ),
                    ("partly_upheld", f"WHEN {o} = 2 AND {points} = 1 THEN 1 ELSE 0"),
                    (
                        "not_upheld",
                        f"WHEN {o} = 2 AND {points} > 1 THEN {points} - 1 "
                        f"WHEN {o} NOT IN (1, 2) THEN {points} ELSE 0",
                    ),
                )
            },
            "root_causes": f"CASE WHEN p.responded{s}_w IS NULL THEN {sql.json('[]')} "
            f"ELSE CASE p.rc{number} {root_causes} END END",
            "drafted_by_id": f"CASE WHEN p.responded{s}_w IS NULL THEN NULL ELSE {handler} END",
            "drafted_on": "drafted.day",
            # Stage 1 signed off by a quality reviewer, stage 2 by the manager (Code 6.13).
            "signed_off_by_id": f"CASE WHEN p.responded{s}_w IS NULL THEN NULL "
            f"ELSE {reviewers[0] if number == 1 else manager} END",
            "signed_off_on": "drafted.day",
        }

    def stage_joins(number: int) -> str:
        s = "" if number == 1 else "2"
        ext = "p.e1 + p.e2" if number == 1 else "p.e21"
        cap = 10 if number == 1 else 20
        received_w = "p.recv_w" if number == 1 else "p.recv2_w"
        return (
            plan
            + (
                "JOIN bench_day d ON d.k = p.recv_k "
                if number == 1
                else workday("rcv", "p.recv2_w")
            )
            + workday("ack", f"p.ack{s}_w")
            + workday("ackdue", f"{received_w} + 5")
            + workday("due", f"p.due{s}_w")
            + workday("ontime", f"p.on_time{s}_w")
            + workday("ext", f"p.due{s}_w + {ext}")
            + workday("cap", f"p.due{s}_w + {cap}")
            + workday("resp", f"p.responded{s}_w")
            + workday("drafted", f"p.responded{s}_w - 1")
        )

    counts["stages"] = sql.insert(Stage, stage_values(1), stage_joins(1))
    counts["stages"] += sql.insert(Stage, stage_values(2), stage_joins(2) + "WHERE p.path = 5")
    copy_onto_stages(sql.connection)  # as the services do when a stage opens

    # Points of complaint on acknowledged stages, and a decision on each of a responded stage's.
    three = "JOIN bench_thousand k ON k.k <= {} "
    for number in (1, 2):
        s = "" if number == 1 else "2"
        stage_id = "p.n" if number == 1 else f"{n} + p.n"
        point_id = f"{3 * n * (number - 1)} + 3 * (p.n - 1) + k.k"
        source = plan + three.format(f"p.points{number}") + workday("ack", f"p.ack{s}_w")
        counts[f"points, stage {number}"] = sql.insert(
            Point,
            {
                "id": point_id,
                "stage_id": stage_id,
                "number": "k.k",
                "summary": "'The repair was late.'",
                "outcome_sought": "'Finish the repair.'",
                "added_on": "ack.day",
            },
            source + f"WHERE p.ack{s}_w IS NOT NULL",
        )
        outcome = f"p.outcome{number}"
        counts[f"decisions, stage {number}"] = sql.insert(
            Decision,
            {
                "id": point_id,
                "point_id": point_id,
                "finding": f"(CASE WHEN {outcome} = 2 AND p.points{number} > 1 THEN "
                "(CASE WHEN k.k = 1 THEN 'upheld' ELSE 'not_upheld' END) "
                f"ELSE {finding.format(outcome)} END)",
                "reasons": "'The records show what happened.'",
            },
            plan + three.format(f"p.points{number}") + f"WHERE p.responded{s}_w IS NOT NULL",
        )

    # Extensions: one or two at stage 1, one at stage 2, each noticed the working day before
    # the date it moves.
    extension = {
        "reason": "'Waiting for the surveyor''s report.'",
        "ombudsman_details_given": true,
    }
    counts["extensions"] = sql.insert(
        Extension,
        {
            **extension,
            "id": "2 * p.n - 1",
            "stage_id": "p.n",
            "notice_on": "before.day",
            "previous_due": "due.day",
            "new_due": "ext.day",
        },
        plan
        + workday("before", "p.due_w - 1")
        + workday("due", "p.due_w")
        + workday("ext", "p.due_w + p.e1")
        + "WHERE p.e1 > 0 AND p.responded_w IS NOT NULL",
    )
    counts["extensions"] += sql.insert(
        Extension,
        {
            **extension,
            "id": "2 * p.n",
            "stage_id": "p.n",
            "notice_on": "before.day",
            "previous_due": "due.day",
            "new_due": "ext.day",
        },
        plan
        + workday("before", "p.due_w + p.e1 - 1")
        + workday("due", "p.due_w + p.e1")
        + workday("ext", "p.due_w + p.e1 + p.e2")
        + "WHERE p.e2 > 0 AND p.responded_w IS NOT NULL",
    )
    counts["extensions"] += sql.insert(
        Extension,
        {
            **extension,
            "id": f"{2 * n} + p.n",
            "stage_id": f"{n} + p.n",
            "notice_on": "before.day",
            "previous_due": "due.day",
            "new_due": "ext.day",
        },
        plan
        + workday("before", "p.due2_w - 1")
        + workday("due", "p.due2_w")
        + workday("ext", "p.due2_w + p.e21")
        + "WHERE p.path = 5 AND p.e21 > 0",
    )

    # Refusals: not accepted (standing), escalation refused, and refusals reversed on review.
    refusal = {
        "id": "p.n",
        "complaint_id": "p.n",
        "explanation": "'The policy''s exclusion applies to this complaint.'",
        "evidence": "'The case notes.'",
        "resident_told_on": "on_day.day",
        "ombudsman_rights_given": true,
        "decided_by_id": str(manager),
        "decided_on": "on_day.day",
    }
    counts["refusals"] = sql.insert(
        Refusal,
        {
            **refusal,
            "stage_number": "CASE WHEN p.path = 3 THEN 2 ELSE 1 END",
            "kind": "CASE WHEN p.path = 3 THEN 'escalation' ELSE 'acceptance' END",
            "reason_id": f"CASE WHEN p.path = 3 THEN {sql.pick(37, reasons['escalation'])} "
            f"ELSE {sql.pick(37, reasons['acceptance'])} END",
            "reversed_on": "CASE WHEN p.path IN (4, 5) THEN d.day END",
            "reversed_by_id": f"CASE WHEN p.path IN (4, 5) THEN {manager} END",
            "reversal_basis": "CASE WHEN p.path IN (4, 5) THEN 'review' ELSE '' END",
        },
        plan
        + "JOIN bench_day d ON d.k = p.recv_k "
        + workday(
            "on_day",
            "CASE WHEN p.path = 1 THEN p.recv_w + 1 + p.rd %% 4 "
            "WHEN p.path = 3 THEN p.responded_w + 2 + p.rd %% 10 ELSE p.recv_w - 4 END",
        )
        + "WHERE p.path IN (1, 3) OR (p.reversed = 1 AND p.path IN (4, 5))",
    )

    # Compensation on a fifth of the stage 1 responses that upheld something; most of it paid.
    upheld = f"p.outcome1 IN (1, 2) AND p.path IN (4, 5) AND {r(23)} < {COMPENSATION}"
    amount = sql.pick(24, list(AMOUNTS_PENCE))
    counts["remedies"] = sql.insert(
        Remedy,
        {
            "id": "p.n",
            "stage_id": "p.n",
            "kind": "'compensation'",
            "description": "'For the delay and the trouble it caused.'",
            "amount_pence": amount,
        },
        plan + f"WHERE {upheld}",
    )
    paid = f"{r(25, 20)} < 17"
    counts["compensation"] = sql.insert(
        Compensation,
        {
            "id": "p.n",
            "remedy_id": "p.n",
            "stage_id": "p.n",
            "complaint_id": "p.n",
            "amount_pence": amount,
            "distress_pence": amount,
            "ombudsman": f"CASE WHEN {r(28, 100)} < 3 THEN 'ordered' ELSE 'none' END",
            "status": f"CASE WHEN {paid} THEN 'paid' ELSE 'offered' END",
            "offered_on": "resp.day",
            "offered_by_id": str(manager),
            "paid_on": f"CASE WHEN {paid} THEN paid.day END",
            "method": f"CASE WHEN {paid} THEN 'bank_transfer' ELSE '' END",
        },
        plan
        + workday("resp", "p.responded_w")
        + workday("paid", "p.responded_w + 10")
        + f"WHERE {upheld}",
    )

    # The Ombudsman: a case on one stage 2 complaint in OMBUDSMAN_ONE_IN, determined some four
    # to six months after the stage 2 response (or not yet, if that is after today).
    referred_w, determined_w = "p.responded2_w + 20", "p.responded2_w + 80 + p.rd %% 60"
    ombudsman = f"WHERE p.path = 5 AND {r(29, OMBUDSMAN_ONE_IN)} = 0"
    determined = f"{determined_w} <= {today_w}"
    counts["ombudsman cases"] = sql.insert(
        OmbudsmanCase,
        {
            "id": "p.n",
            "reference": "'HOS-' || p.n" if not postgres else "'HOS-' || p.n::text",
            "referred_on": "referred.day",
            "stage": f"CASE WHEN {determined} THEN 'closed' ELSE 'investigation' END",
            "stage_since": f"CASE WHEN {determined} THEN determined.day ELSE referred.day END",
            "determined_on": f"CASE WHEN {determined} THEN determined.day END",
        },
        plan + workday("referred", referred_w) + workday("determined", determined_w) + ombudsman,
    )
    through = OmbudsmanCase.complaints.through
    sql.insert(
        through, {"id": "p.n", "ombudsmancase_id": "p.n", "complaint_id": "p.n"}, plan + ombudsman
    )
    outcome = weighted(38, OMBUDSMAN_OUTCOMES)
    counts["ombudsman findings"] = sql.insert(
        OmbudsmanFinding,
        {
            "id": "p.n",
            "case_id": "p.n",
            "element": "'The landlord''s handling of the repair'",
            "outcome": outcome,
            "complaint_id": "p.n",
        },
        plan + ombudsman + f" AND {determined}",
    )
    failing = "('severe_maladministration', 'maladministration', 'service_failure')"
    counts["ombudsman orders"] = sql.insert(
        Order,
        {
            "id": "p.n",
            "case_id": "p.n",
            "what": "'Pay the resident and apologise.'",
            "due_on": "due.day",
            "compensation_pence": "50000",
            "complied_on": f"CASE WHEN {determined_w} + 30 <= {today_w} THEN done.day END",
        },
        plan
        + workday("due", f"{determined_w} + 20")
        + workday("done", f"{determined_w} + 15 + p.rd %% 8")
        + ombudsman
        + f" AND {determined} AND {outcome} IN {failing}",
    )
    counts["ombudsman requests"] = sql.insert(
        InformationRequest,
        {
            "id": "p.n",
            "case_id": "p.n",
            "what": "'The repair records and the complaint file.'",
            "requested_on": "requested.day",
            "due_on": "due.day",
            "provided_on": "provided.day",
        },
        plan
        + workday("requested", f"{referred_w} + 5")
        + workday("due", f"{referred_w} + 15")
        + workday("provided", f"{referred_w} + 10 + p.rd %% 8")
        + ombudsman,
    )

    for table in ("bench_plan", "bench_series", "bench_day", "bench_workday", "bench_thousand"):
        sql.execute(f"DROP TABLE {table}")
    from django.apps import apps

    statements = sql.connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with sql.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    say(f"  wrote the records in {time.perf_counter() - started:.1f}s")
    return counts


def _json(causes: list[str]) -> str:
    return "[" + ", ".join(f'"{c}"' for c in causes) + "]"

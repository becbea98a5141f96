"""Reports through the real HTTP stack: intake (POST /api/v1/reports/reports/) and the public
map (GET /api/v1/reports/map/) with 200k reports, on SQLite and (when 127.0.0.1:5432
answers) PostgreSQL.

Each database is fresh (a temporary SQLite file; PostgreSQL database `buurtstem_bench`,
dropped and created), migrated and seeded with the Leiden areas and the default categories.
gunicorn serves it with 2 sync workers, DEBUG off, no SSL redirect, and the intake throttle
switched off with `REPORTS_CREATE_RATE=` (an empty rate; see config/settings.py).

Intake: client threads (http.client, keep-alive where the server allows it) POST JSON reports
with unique Idempotency-Keys; every 10th submission is retried with the same key, and some
keys are sent by two threads at once. Afterwards the database must hold every accepted
report exactly once, under the uuid the API returned for it.

Map: 200k reports bulk-inserted directly (spread uniformly over Leiden, 85 % in public
categories, dates over a year), then the whole municipality at zoom 12 (1600 m cells) and
zoom 16 (100 m cells), sequential requests: repeated queries (served from the per-worker
cache, REPORTS_MAP_CACHE_SECONDS) and a new filter on every request (always computed).

All Django work happens in subprocesses (the bench process may have Django configured for
another benchmark's database).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from tests.bench.table import print_table

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "buurtstem_bench"
INTAKE_URL = "/api/v1/reports/reports/"
MAP_URL = "/api/v1/reports/map/"
GOAL_RATE = 200.0  # reports/s
GOAL_INTAKE_P95_MS = 100.0
GOAL_MAP_P95_MS = 150.0
GOAL_MAP_BYTES = 300 * 1024
RNG = np.random.default_rng(20261125)

PUBLIC_SLUGS = [
    "jongerenoverlast",
    "drugs-drankoverlast",
    "overige-overlast-personen",
    "vandalisme-graffiti",
    "zwerfafval",
    "verlichting-donkere-plek",
    "verkeersonveilige-situatie",
    "te-hard-rijden",
    "horeca-overlast",
    "vuurwerkoverlast",
]
RESTRICTED_SLUGS = ["woonoverlast", "verward-gedrag"]
CONFIDENTIAL_SLUGS = ["ondermijning-vermoeden"]


# --- Databases and the server -----------------------------------------------------------------


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
        import psycopg

        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except Exception:  # no server, no driver or no access: no PostgreSQL run
        return False
    return True


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def fresh_database(kind: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'bench.sqlite3'}"
        return
    _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    _pg_admin(f"CREATE DATABASE {PG_BENCH_DB}")
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
    finally:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")


def server_env(database_url: str, media: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="bench-only-not-secret",
        DJANGO_DEBUG="false",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        REPORTS_CREATE_RATE="",  # throttle off for the bench
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def django_script(env: dict[str, str], code: str, *args: str) -> str:
    """Run Python code with Django set up (in a subprocess); returns its stdout."""
    prelude = "import django, sys\ndjango.setup()\n"
    done = subprocess.run(
        [str(PYTHON), "-c", prelude + code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"subprocess failed:\n{done.stderr[-3000:]}")
    return done.stdout


SEED = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
from geo.demo import leiden_areas_seed
from participation.taxonomy import taxonomy_seed_default
from reports.categories import report_categories_seed_default
leiden_areas_seed()
taxonomy_seed_default()
report_categories_seed_default()
"""

BULK = """
import time, uuid
from datetime import timedelta
import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from geo.grid import rd_cells
from geo.index import buurt_index_get
from reports.models import Report, ReportCategory

n = int(sys.argv[1])
slugs = sys.argv[2].split(",")
weights = np.array([float(w) for w in sys.argv[3].split(",")])
rng = np.random.default_rng(7)
index = buurt_index_get()
min_lon, min_lat, max_lon, max_lat = index.bounds
lats, lons, ids = [], [], []
while sum(len(x) for x in lats) < n:
    la = rng.uniform(min_lat, max_lat, n)
    lo = rng.uniform(min_lon, max_lon, n)
    found = index.lookup_many(la, lo)
    keep = found >= 0
    lats.append(la[keep]); lons.append(lo[keep]); ids.append(found[keep])
lat = np.concatenate(lats)[:n]; lon = np.concatenate(lons)[:n]; buurt = np.concatenate(ids)[:n]
gx, gy = rd_cells(lat, lon)
cats = {c.slug: c.pk for c in ReportCategory.objects.filter(slug__in=slugs)}
cat_ids = np.array([cats[s] for s in slugs])[rng.choice(len(slugs), n, p=weights / weights.sum())]
statuses = np.array(["nieuw", "in_behandeling", "afgehandeld", "doorgestuurd", "geannuleerd"])
status = statuses[rng.choice(5, n, p=[0.25, 0.15, 0.45, 0.10, 0.05])]
moderation = np.array(["pending", "approved", "redacted", "rejected"])[rng.choice(4, n)]
support = rng.integers(0, 6, n)
age_days = rng.integers(0, 365, n)
t0 = time.perf_counter()
# Plain INSERTs (much faster than model instances), values adapted as Django would.
fields = [
    "created_at", "updated_at", "uuid", "reference", "tracking_token_hash", "category_id",
    "description", "public_description", "moderation", "lat", "lon", "location_description",
    "grid_x", "grid_y", "buurt_id", "status", "partner", "contact_email", "contact_consent",
    "source", "external_id", "support_count",
]
now = timezone.now()
uuid_field = Report._meta.get_field("uuid")
adapt_dt = connection.ops.adapt_datetimefield_value
columns = ", ".join(connection.ops.quote_name(f) for f in fields)
marks = ", ".join(["%s"] * len(fields))
sql = f"INSERT INTO reports_report ({columns}) VALUES ({marks})"
rows = []
for i in range(n):
    created = adapt_dt(now - timedelta(days=int(age_days[i]), seconds=i % 86400))
    rows.append((
        created, created, uuid_field.get_db_prep_value(uuid.uuid4(), connection),
        f"BN-{i:08d}", f"{i:064x}", int(cat_ids[i]), "Bulk", "Bulk", str(moderation[i]),
        float(lat[i]), float(lon[i]), "", int(gx[i]), int(gy[i]), int(buurt[i]),
        str(status[i]), "", "", False, "import", "", int(support[i]),
    ))
with transaction.atomic(), connection.cursor() as cursor:
    for start in range(0, n, 5000):
        cursor.executemany(sql, rows[start : start + 5000])
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
print(f"{time.perf_counter() - t0:.1f}")
"""

VERIFY = """
import json
from reports.models import Report
rows = Report.objects.filter(source="api").values_list("uuid", "idempotency_key")
print(json.dumps([[str(u), k] for u, k in rows]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[int]:
    port = free_port()
    with log.open("w") as errors:
        proc = subprocess.Popen(
            [str(GUNICORN), "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=errors,
            stderr=errors,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    conn.request("GET", "/api/v1/reports/categories/")
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start; see {log}")
                time.sleep(0.2)
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


# --- Intake -----------------------------------------------------------------------------------


def leiden_points(n: int) -> list[tuple[float, float]]:
    from tests.bench.bench_geo import leiden_index

    index = leiden_index()
    min_lon, min_lat, max_lon, max_lat = index.bounds
    points: list[tuple[float, float]] = []
    while len(points) < n:
        lat, lon = RNG.uniform(min_lat, max_lat, n), RNG.uniform(min_lon, max_lon, n)
        inside = index.lookup_many(lat, lon) >= 0
        found = zip(lat[inside].round(6).tolist(), lon[inside].round(6).tolist(), strict=True)
        points += list(found)
    return points[:n]


@dataclass
class Submission:
    key: str
    body: bytes


@dataclass
class ClientLog:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    results: list[tuple[str, int, str]] = field(default_factory=list)  # key, status, uuid


def post(conn: http.client.HTTPConnection, sub: Submission) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", "Idempotency-Key": sub.key}
    for attempt in range(3):
        try:
            conn.request("POST", INTAKE_URL, body=sub.body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            if response.will_close:
                conn.close()
            return response.status, json.loads(data) if data else {}
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def intake_plan(clients: int, per_client: int) -> list[list[Submission]]:
    """Per client a list of submissions: unique keys; every 10th a retry of the one before;
    every 25th key shared with the next client at the same position (concurrent twins)."""
    points = leiden_points(clients * per_client)
    plans: list[list[Submission]] = [[] for _ in range(clients)]
    for c in range(clients):
        for i in range(per_client):
            lat, lon = points[c * per_client + i]
            key = f"bench-{c}-{i}-{uuid.uuid4()}"
            body = json.dumps(
                {
                    "category": PUBLIC_SLUGS[(c + i) % len(PUBLIC_SLUGS)],
                    "description": f"Bench-melding {c}/{i}: afval en glas op de stoep.",
                    "lat": lat,
                    "lon": lon,
                }
            ).encode()
            plans[c].append(Submission(key, body))
    for c in range(clients):
        for i in range(per_client):
            if i % 10 == 9:
                plans[c][i] = plans[c][i - 1]  # a client retry of the same submission
            elif i % 25 == 12 and c + 1 < clients:
                plans[c + 1][i] = plans[c][i]  # the same key from another client, concurrently
    return plans


def run_intake(port: int, clients: int, per_client: int) -> tuple[list[ClientLog], float]:
    plans = intake_plan(clients, per_client)
    logs = [ClientLog() for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def worker(plan: list[Submission], log: ClientLog) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        for sub in plan:
            t0 = time.perf_counter()
            status, body = post(conn, sub)
            log.latencies_ms.append((time.perf_counter() - t0) * 1000)
            log.statuses.append(status)
            log.results.append((sub.key, status, body.get("uuid", "")))
        conn.close()

    threads = [
        threading.Thread(target=worker, args=(plan, log))
        for plan, log in zip(plans, logs, strict=True)
    ]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return logs, time.perf_counter() - t0


def warm_up(port: int, rounds: int = 8) -> None:
    """Load the buurt index and categories in both workers (one request each is not
    guaranteed to reach both, so send a few concurrently)."""

    def one() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = json.dumps(
            {"category": "zwerfafval", "description": "Opwarmen", "lat": 52.158, "lon": 4.49}
        ).encode()
        post(conn, Submission(f"warmup-{uuid.uuid4()}", body))
        conn.request("GET", MAP_URL)
        conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=one) for _ in range(rounds)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def stored_key(key: str) -> str:
    """How the API stores an Idempotency-Key (reports.api.views.ReportCreateApi)."""
    return "api:" + hashlib.sha256(key.encode()).hexdigest()[:60]


def check_exactly_once(env: dict[str, str], logs: list[ClientLog]) -> tuple[str, int]:
    """Every key answered 200/201 maps to one uuid, was created (201) once, and is stored in
    exactly one row with that uuid."""
    answered: dict[str, set[str]] = {}
    created: dict[str, int] = {}
    errors = 0
    for log in logs:
        for key, status, report_uuid in log.results:
            if status not in (200, 201):
                errors += 1
                continue
            answered.setdefault(key, set()).add(report_uuid)
            created[key] = created.get(key, 0) + (status == 201)
    rows: dict[str, list[str]] = {}
    for report_uuid, key in json.loads(django_script(env, VERIFY)):
        rows.setdefault(key, []).append(report_uuid)
    problems = []
    if any(len(uuids) != 1 for uuids in answered.values()):
        problems.append("a key was answered with two reports")
    if any(n != 1 for n in created.values()):
        problems.append("a key was created twice or never")
    stored = 0
    for key, uuids in answered.items():
        found = rows.get(stored_key(key), [])
        stored += len(found)
        if found != list(uuids):
            problems.append(f"key {key}: stored {found}, answered {sorted(uuids)}")
            break
    if errors:
        problems.append(f"{errors} errors")
    return ("yes" if not problems else "NO: " + "; ".join(problems)), stored


def intake_row(kind: str, env: dict, port: int, clients: int, per_client: int) -> list[object]:
    logs, seconds = run_intake(port, clients, per_client)
    latencies = np.array([ms for log in logs for ms in log.latencies_ms])
    statuses = [s for log in logs for s in log.statuses]
    created = statuses.count(201)
    exactly_once, rows = check_exactly_once(env, logs)
    rate = created / seconds
    p50, p95, p99 = (float(np.percentile(latencies, q)) for q in (50, 95, 99))
    return [
        kind,
        clients,
        len(statuses),
        created,
        statuses.count(200),
        len(statuses) - created - statuses.count(200),
        rows,
        exactly_once,
        len(statuses) / seconds,
        rate,
        p50,
        p95,
        p99,
        "met" if rate >= GOAL_RATE and p95 < GOAL_INTAKE_P95_MS else "MISSED",
    ]


# --- Analysis (reports per 1,000 inhabitants) --------------------------------------------------

ANALYSIS = """
import json, statistics, time
from datetime import date, timedelta
from django.utils import timezone
from reports.analysis import (RateFilters, report_rate_trend, report_rates,
                              report_rates_levels, report_rates_per_veld, sensitivities_for)
from reports.evidence import report_rates_evidence

today = timezone.localdate()
f = RateFilters(date_from=today - timedelta(days=364), date_to=today,
                sensitivities=sensitivities_for(may_see_confidential=True))
scope = frozenset({"WK054600", "WK054601"})
cases = {
    "staff, per buurt (exact)": lambda: report_rates(
        filters=f, level="buurt", municipality_code="GM0546", published=False),
    "staff, per wijk, 1 thema": lambda: report_rates(
        filters=RateFilters(**{**f.__dict__, "theme": "jeugd-en-veiligheid"}), level="wijk",
        municipality_code="GM0546", published=False),
    "per veiligheidsveld": lambda: report_rates_per_veld(
        filters=f, municipality_code="GM0546", published=True),
    "per year, 3 years": lambda: report_rate_trend(
        sensitivities=f.sensitivities, municipality_code="GM0546", published=True, years=3,
        today=today),
    "wijkraad page (2 wijken: wijken, buurten, velden, years)": lambda: (
        report_rates_levels(filters=f, levels=("wijk", "buurt"), municipality_code="GM0546",
                            published=True, area_codes=scope),
        report_rates_per_veld(filters=f, municipality_code="GM0546", published=True,
                              area_codes=scope),
        report_rate_trend(sensitivities=f.sensitivities, municipality_code="GM0546",
                          published=True, years=3, today=today, area_codes=scope)),
    "evidence block, per buurt": lambda: report_rates_evidence(
        filters=f, level="buurt", municipality_code="GM0546"),
}
out = []
for label, call in cases.items():
    call()  # warm
    times = []
    for _ in range(int(sys.argv[1])):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    out.append([label, statistics.median(times), max(times)])
print(json.dumps(out))
"""


def analysis_rows(kind: str, env: dict[str, str], reports: int, repeat: int) -> list[list[object]]:
    data = json.loads(django_script(env, ANALYSIS, str(repeat)).splitlines()[-1])
    return [[kind, reports, label, p50, worst] for label, p50, worst in data]


# --- Map --------------------------------------------------------------------------------------


def bulk_insert(env: dict[str, str], n: int) -> float:
    slugs = PUBLIC_SLUGS + RESTRICTED_SLUGS + CONFIDENTIAL_SLUGS
    weights = [0.85 / len(PUBLIC_SLUGS)] * len(PUBLIC_SLUGS)
    weights += [0.10 / len(RESTRICTED_SLUGS)] * len(RESTRICTED_SLUGS) + [0.05]
    t0 = time.perf_counter()
    django_script(env, BULK, str(n), ",".join(slugs), ",".join(f"{w:.6f}" for w in weights))
    return time.perf_counter() - t0


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    for attempt in range(3):
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            data = response.read()
            if response.will_close:
                conn.close()
            return response.status, data
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _day(year: int, offset: int) -> str:
    return (date(year, 1, 1) + timedelta(days=offset)).isoformat()


def map_rows(kind: str, port: int, reports: int, repeat: int) -> list[list[object]]:
    """Sequential requests. Hit rows: the same query again, after 6 untimed warm-up requests
    (so that, almost surely, both workers have it cached). Miss rows change the `from` date
    (before all data) on every request, so every request runs the query."""
    start_90 = time.strftime("%Y-%m-%d", time.localtime(time.time() - 90 * 86400))
    specs = [
        ("zoom 12 (1600 m)", "hit", lambda i: "zoom=12"),
        ("zoom 16 (100 m)", "hit", lambda i: "zoom=16"),
        (
            "zoom 16, 2 categories, 90 days",
            "hit",
            lambda i: f"zoom=16&categories=zwerfafval,jongerenoverlast&from={start_90}",
        ),
        ("zoom 12 (1600 m)", "miss", lambda i: f"zoom=12&from={_day(2000, i)}"),
        ("zoom 16 (100 m)", "miss", lambda i: f"zoom=16&from={_day(1990, i)}"),
    ]
    rows = []
    for label, cache, query in specs:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        timings, size, cells = [], 0, 0
        warmups = 6 if cache == "hit" else 0  # so that both workers have it cached
        for i in range(repeat + warmups):
            path = f"{MAP_URL}?{query(i)}"
            t0 = time.perf_counter()
            status, data = get(conn, path)
            ms = (time.perf_counter() - t0) * 1000
            assert status == 200, (status, data[:300])
            if i >= warmups:
                timings.append(ms)
            size = len(data)
            cells = len(json.loads(data)["features"])
        conn.close()
        p95 = float(np.percentile(timings, 95))
        rows.append(
            [
                kind,
                reports,
                label,
                cache,
                cells,
                f"{size / 1024:.0f} KB",
                float(statistics.median(timings)),
                p95,
                max(timings),
                "met" if p95 < GOAL_MAP_P95_MS and size < GOAL_MAP_BYTES else "MISSED",
            ]
        )
    return rows


LIST_SPECS = [
    ("table API, page 1", "/api/v1/reports/public/"),
    ("table API, page 50", "/api/v1/reports/public/?page=50"),
    ("table API, 1 category, 90 days", "/api/v1/reports/public/?categories=zwerfafval&from={d90}"),
    ("Open311 requests.json (90 days)", "/open311/v2/requests.json"),
    ("Open311 requests.json, 1 service", "/open311/v2/requests.json?service_code=zwerfafval"),
]


def list_rows(kind: str, port: int, reports: int, repeat: int) -> list[list[object]]:
    """Sequential requests to the lists of single public reports; each applies the cell rule
    (a report is listed only when its 100 m cell holds at least 5 of the selection), which
    aggregates the whole selection on every request (not cached). No goal in the issue:
    reported for reference."""
    d90 = time.strftime("%Y-%m-%d", time.localtime(time.time() - 90 * 86400))
    rows = []
    for label, template in LIST_SPECS:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        path = template.format(d90=d90)
        timings, size = [], 0
        for i in range(repeat + 2):
            t0 = time.perf_counter()
            status, data = get(conn, path)
            ms = (time.perf_counter() - t0) * 1000
            assert status == 200, (status, data[:300])
            if i >= 2:
                timings.append(ms)
            size = len(data)
        conn.close()
        rows.append(
            [
                kind,
                reports,
                label,
                f"{size / 1024:.0f} KB",
                float(statistics.median(timings)),
                float(np.percentile(timings, 95)),
                max(timings),
            ]
        )
    return rows


# --- Run --------------------------------------------------------------------------------------


def run(*, quick: bool = False) -> None:
    clients, per_client = (4, 100) if quick else (8, 150)
    map_reports = 50_000 if quick else 200_000
    repeat = 10 if quick else 30
    kinds = ["sqlite"] + (["postgresql"] if postgres_available() else [])
    intake: list[list[object]] = []
    maps: list[list[object]] = []
    lists: list[list[object]] = []
    analysis: list[list[object]] = []
    notes: list[str] = []
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    for kind in kinds:
        tmp = Path(tempfile.mkdtemp(prefix="buurtstem-bench-reports-"))
        try:
            with fresh_database(kind, tmp) as url:
                env = server_env(url, tmp / "media")
                django_script(env, SEED)
                with gunicorn(env, tmp / "gunicorn.log") as port:
                    warm_up(port)
                    intake.append(intake_row(kind, env, port, clients, per_client))
                    seconds = bulk_insert(env, map_reports)
                    notes.append(f"{kind}: bulk insert of {map_reports:,} reports {seconds:.0f} s")
                    maps += map_rows(kind, port, map_reports, repeat)
                    lists += list_rows(kind, port, map_reports, max(10, repeat // 3))
                    analysis += analysis_rows(kind, env, map_reports, 5)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print_table(
        f"Report intake over HTTP (gunicorn -w 2, {clients} client threads; goal ≥ "
        f"{GOAL_RATE:.0f} reports/s and p95 < {GOAL_INTAKE_P95_MS:.0f} ms)",
        [
            "database",
            "clients",
            "requests",
            "201 new",
            "200 replay",
            "errors",
            "stored",
            "exactly once",
            "requests/s",
            "reports/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "goal",
        ],
        intake,
    )
    print_table(
        f"Public map over HTTP, whole municipality (goal p95 < {GOAL_MAP_P95_MS:.0f} ms and "
        f"< {GOAL_MAP_BYTES // 1024} KB; {repeat} sequential requests per row; cache: per-worker "
        "cache hit, or a new filter every request)",
        [
            "database",
            "reports",
            "query",
            "cache",
            "cells",
            "size",
            "p50 ms",
            "p95 ms",
            "max ms",
            "goal",
        ],
        maps,
    )
    print_table(
        "Public lists of single reports over HTTP, whole municipality (the cell rule runs on "
        "every request; no goal, for reference)",
        ["database", "reports", "list", "size", "p50 ms", "p95 ms", "max ms"],
        lists,
    )
    print_table(
        "Reports per 1,000 inhabitants, in-process (reports.analysis; median of 5 after a "
        "warm-up; no goal, for reference)",
        ["database", "reports", "computation", "p50 ms", "max ms"],
        analysis,
    )
    for note in notes:
        print(note)
    print(
        f"total {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs; load average "
        f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after (other processes compete "
        "with the server and the clients for the same cores)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    run(quick="--quick" in sys.argv)

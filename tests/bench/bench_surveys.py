"""Surveys: responding through the real HTTP stack, and results for 50,000 responses, on
SQLite and (when 127.0.0.1:5432 answers) PostgreSQL.

Responding: a fresh database (temporary SQLite file; PostgreSQL database
`buurtstem_bench_surveys`, dropped and created) with Leiden and two published copies of the
template survey, each with one extra required number question `NR`: an open-link survey and
a panel survey with one invitation per planned panel response. gunicorn serves it with 2
sync workers, DEBUG off, the surveys API throttles off (`SURVEYS_START_RATE=`,
`SURVEYS_ANSWER_RATE=`) and the per-IP start limit raised (all clients share 127.0.0.1).
Client threads each complete responses — POST start (device id or invitation token), PATCH
all answers with a unique `NR`, POST submit — alternating open link and panel; every 10th
response submits a second time (must be refused: the resume token is spent). Afterwards
every accepted submit must be stored exactly once: the submitted `NR` values in the database
equal the accepted ones, without duplicates, and nothing else was stored.

Results: 50,000 submitted panel responses of the template survey (about 45 answers each,
spread over the Leiden buurten and age bands) bulk-inserted directly, then timed in-process:
`survey_results` for the whole survey and with the wijk breakdown, and the anonymous CSV
export (`responses_csv_write`).

All Django work happens in subprocesses.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tests.bench.bench_reports import (
    _pg_admin,
    django_script,
    gunicorn,
    postgres_available,
    server_env,
)
from tests.bench.table import print_table

ROOT = Path(__file__).resolve().parents[2]
# Override when several people bench on one PostgreSQL server at the same time.
PG_BENCH_DB = os.environ.get("BENCH_SURVEYS_PG_DB", "buurtstem_bench_surveys")
PARTS = ("responding", "results")

SEED = """
import json
from django.core.management import call_command
call_command("migrate", verbosity=0)
from geo.demo import leiden_areas_seed
leiden_areas_seed()
from participation.models import PanelMembership
from participation.services import (
    burgerpanel_create, consent_text_create, consent_text_publish, panel_join, user_create,
)
from geo.models import Area
from surveys.models import Survey
from surveys.selectors import survey_version_draft
from surveys.services import invitation_create, question_add, section_add, survey_publish
from surveys.template import survey_create_from_template

def make(slug, distribution, panel=None):
    survey = survey_create_from_template(
        created_by=None, municipality_code="GM0546", panel=panel,
        distribution=distribution, slug=slug,
    )
    section = section_add(version=survey_version_draft(survey=survey), title="Bench")
    question_add(section=section, code="NR", type="number", text="Volgnummer", required=True,
                 min_value=0, max_value=10**9)
    survey_publish(survey=survey)
    return Survey.objects.get(pk=survey.pk)

invitations = int(sys.argv[1])
make("bench-open", Survey.Distribution.OPEN_LINK)
panel = burgerpanel_create(name="Benchpanel", slug="benchpanel", municipality_codes=["GM0546"])
consent = consent_text_publish(consent_text=consent_text_create(panel=panel, body="Akkoord."))
survey = make("bench-panel", Survey.Distribution.PANEL_ONLY, panel)
buurt = Area.objects.filter(level="buurt").order_by("code").first()
tokens = []
for i in range(invitations):
    user = user_create(email=f"bench-{i}@bench.invalid", password=None, email_verified=True)
    membership = panel_join(user=user, panel=panel, buurt=buurt, age_band="45-64", sex="vrouw",
                            consent_text=consent)
    tokens.append(invitation_create(survey=survey, membership=membership).token)
print(json.dumps(tokens))
"""

VERIFY = """
import json
from surveys.models import Answer, Response
out = {}
for slug in ("bench-open", "bench-panel"):
    submitted = Response.objects.filter(survey__slug=slug, submitted_at__isnull=False)
    values = list(
        Answer.objects.filter(response__in=submitted, question__code="NR")
        .values_list("value", flat=True)
    )
    out[slug] = {"responses": submitted.count(), "nr": values,
                 "unsubmitted": Response.objects.filter(survey__slug=slug,
                                                        submitted_at__isnull=True).count()}
print(json.dumps(out))
"""

RESULTS = """
import io, json, os, resource, time
from django.core.management import call_command
call_command("migrate", verbosity=0)
from geo.demo import leiden_areas_seed
leiden_areas_seed()
# The demo's modelled age and sex margins, so that the results are weighted (raking).
from surveys.demo import population_model_for_weighting_seed
population_model_for_weighting_seed()
from surveys.models import Survey
from surveys.services import survey_publish
from surveys.template import survey_create_from_template
from surveys.selectors import survey_version_published
from surveys.results import survey_results
from surveys.export import responses_csv_write
import uuid
import numpy as np
from datetime import timedelta
from django.db import connection, transaction
from django.utils import timezone
from geo.models import Area
from surveys.models import Answer, Question, Response
from tests.bench.bench_surveys import synthetic_answers

n = int(sys.argv[1])
survey = survey_create_from_template(created_by=None, municipality_code="GM0546",
                                     distribution="open_link", slug="bench-results")
version = survey_publish(survey=survey)
questions = {q.code: q for q in Question.objects.filter(version=version)}
options = [o["value"] for o in questions["Q14"].options]
buurten = list(Area.objects.filter(level="buurt").values_list("pk", "code"))
rng = np.random.default_rng(50000)
t0 = time.perf_counter()
ops = connection.ops
now = timezone.now()
id_field = Response._meta.get_field("id")
value_field = Answer._meta.get_field("value")
rcols = ["id", "ref", "survey_id", "survey_version_id", "channel", "started_at",
         "last_saved_at", "submitted_at", "buurt_id", "age_band", "sex", "resume_token_hash",
         "device_hash", "is_indicative"]
acols = ["response_id", "question_id", "row_key", "value"]
def insert_sql(table, cols):
    return (f"INSERT INTO {table} ({', '.join(ops.quote_name(c) for c in cols)}) "
            f"VALUES ({', '.join(['%s'] * len(cols))})")
rsql, asql = insert_sql("surveys_response", rcols), insert_sql("surveys_answer", acols)
bands = ["15-24", "25-44", "45-64", "65+"]
sexes = ["man", "vrouw", "man", "vrouw", "liever_niet"]
answer_rows = 0
with transaction.atomic(), connection.cursor() as cursor:
    for start in range(0, n, 2000):
        responses, answers = [], []
        for i in range(start, min(n, start + 2000)):
            pk = uuid.uuid4()
            dbpk = id_field.get_db_prep_value(pk, connection)
            when = ops.adapt_datetimefield_value(now - timedelta(minutes=i))
            buurt_id, _code = buurten[int(rng.integers(len(buurten)))]
            sex = sexes[int(rng.integers(len(sexes)))]
            responses.append((dbpk, f"b{i:011d}", survey.pk, version.pk, "open_link", when, when,
                              when, buurt_id, bands[int(rng.integers(4))], sex, "", "",
                              True))
            for code, row, value in synthetic_answers(rng, i, options):
                answers.append((dbpk, questions[code].pk, row,
                                value_field.get_db_prep_value(value, connection)))
        cursor.executemany(rsql, responses)
        cursor.executemany(asql, answers)
        answer_rows += len(answers)
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
insert_s = time.perf_counter() - t0
version = survey_version_published(survey=Survey.objects.get(pk=survey.pk))
timings = {}
t0 = time.perf_counter()
whole = survey_results(version=version)
timings["results"] = time.perf_counter() - t0
t0 = time.perf_counter()
by_wijk = survey_results(version=version, breakdown="wijk")
timings["results_wijk"] = time.perf_counter() - t0
t0 = time.perf_counter()
with open(os.devnull, "w") as out:
    rows = responses_csv_write(version=version, out=out)
timings["csv"] = time.perf_counter() - t0
print(json.dumps({"insert_s": insert_s, "answers": answer_rows, "n": whole.n,
                  "weighted": whole.weighting.weighted, "reason": whole.weighting.reason,
                  "groups": len(by_wijk.groups), "csv_rows": rows, **timings,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

OVERLAST = [
    "rommel", "straatmeubilair", "bekladding", "hondenpoep", "dronken_mensen", "drugs",
    "buurtbewoners", "lastigvallen", "jongeren", "te_hard_rijden", "parkeren",
    "agressief_verkeer", "horeca",
]  # fmt: skip
SATISFIED = ["zeer_tevreden", "tevreden", "neutraal", "ontevreden", "zeer_ontevreden"]
AGREE = ["helemaal_eens", "eens", "neutraal", "oneens", "helemaal_oneens"]
FREQ = ["vaak", "soms", "nooit"]
VICTIM = ["inbraak", "fietsdiefstal", "vernieling", "bedreiging", "mishandeling"]
VICTIM += ["online_oplichting"]


def synthetic_answers(
    rng: np.random.Generator, i: int, priorities: list[str]
) -> list[tuple[str, str, object]]:
    """(question code, row, value) of one plausible respondent of the template survey."""
    out: list[tuple[str, str, object]] = [
        ("Q1", "", int(rng.integers(4, 11))),
        ("Q2", "", int(rng.integers(3, 11))),
        ("Q3", "", FREQ[int(rng.integers(3))]),
        ("Q4", "", FREQ[int(rng.integers(3))]),
        ("Q5", "", FREQ[int(rng.integers(3))]),
        ("Q6", "", ["ja", "nee", "kom_daar_niet"][int(rng.integers(3))]),
    ]
    for key in OVERLAST:
        if rng.random() < 0.5:
            out.append(("Q7", key, {"komt_voor": "nee"}))
        else:
            level = ["veel", "een_beetje", "geen"][int(rng.integers(3))]
            out.append(("Q7", key, {"komt_voor": "ja", "overlast": level}))
    for key in ("straten", "groen", "verlichting", "speelplekken", "jongeren"):
        out.append(("Q8", key, SATISFIED[int(rng.integers(5))]))
    for key in ("kennen_elkaar", "prettig", "gezellig", "thuis"):
        out.append(("Q9", key, AGREE[int(rng.integers(5))]))
    victim = [("Q10", key, "ja" if rng.random() < 0.06 else "nee") for key in VICTIM]
    out += victim
    if any(v == "ja" for _c, _r, v in victim):
        out.append(("Q11", "", "ja" if rng.random() < 0.45 else "nee"))
    out.append(("Q12", "", AGREE[int(rng.integers(5))]))
    out.append(("Q13", "", SATISFIED[int(rng.integers(5))]))
    if priorities:
        chosen = rng.choice(len(priorities), size=int(rng.integers(1, 4)), replace=False)
        out.append(("Q14", "", [priorities[c] for c in sorted(chosen)]))
    return out


def api_answers(i: int, *, open_link: bool) -> dict[str, object]:
    """A complete set of answers for the API (grids as {row: value}); NR = i (unique)."""
    rng = np.random.default_rng(i)
    answers: dict[str, object] = {}
    for code, row, value in synthetic_answers(rng, i, []):
        if row:
            answers.setdefault(code, {})[row] = value  # type: ignore[index]
        else:
            answers[code] = value
    answers["NR"] = i
    if open_link:
        answers.update({"B1": "25-44", "B2": "man", "B3": "BU05460000"})
    return answers


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


def surveys_env(database_url: str, tmp: Path) -> dict[str, str]:
    env = server_env(database_url, tmp / "media")
    env.update(
        SURVEYS_START_RATE="",
        SURVEYS_ANSWER_RATE="",
        SURVEYS_OPEN_MAX_STARTS_PER_IP_PER_HOUR="100000000",
    )
    return env


# --- Responding over HTTP -----------------------------------------------------------------------


@dataclass
class ClientLog:
    latencies_ms: dict[str, list[float]] = field(
        default_factory=lambda: {"start": [], "save": [], "submit": [], "response": []}
    )
    accepted: dict[str, list[int]] = field(default_factory=lambda: {"open": [], "panel": []})
    replays_refused: int = 0
    replays_accepted: int = 0
    errors: list[str] = field(default_factory=list)


def call(
    conn: http.client.HTTPConnection, method: str, path: str, body: object, headers: dict
) -> tuple[int, dict]:
    payload = json.dumps(body).encode() if body is not None else None
    for attempt in range(3):
        try:
            conn.request(
                method, path, body=payload, headers={"Content-Type": "application/json", **headers}
            )
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


def respond(
    conn: http.client.HTTPConnection, log: ClientLog, number: int, token: str | None
) -> None:
    slug = "bench-panel" if token else "bench-open"
    base = f"/api/v1/surveys/{slug}/responses/"
    t_response = time.perf_counter()
    body = {"invitation_token": token} if token else {"device_id": f"bench-{uuid.uuid4()}"}
    t0 = time.perf_counter()
    status, data = call(conn, "POST", base, body, {})
    log.latencies_ms["start"].append((time.perf_counter() - t0) * 1000)
    if status != 201:
        log.errors.append(f"start {status} {data}")
        return
    auth = {"X-Resume-Token": data["resume_token"]}
    t0 = time.perf_counter()
    answers = api_answers(number, open_link=token is None)
    status, data = call(conn, "PATCH", base + "current/", {"answers": answers}, auth)
    log.latencies_ms["save"].append((time.perf_counter() - t0) * 1000)
    if status != 200:
        log.errors.append(f"save {status} {data}")
        return
    t0 = time.perf_counter()
    status, data = call(conn, "POST", base + "current/submit/", None, auth)
    log.latencies_ms["submit"].append((time.perf_counter() - t0) * 1000)
    log.latencies_ms["response"].append((time.perf_counter() - t_response) * 1000)
    if status != 200:
        log.errors.append(f"submit {status} {data}")
        return
    log.accepted["panel" if token else "open"].append(number)
    if number % 10 == 9:  # a replayed submit: the resume token is spent
        status, _data = call(conn, "POST", base + "current/submit/", None, auth)
        if status == 404:
            log.replays_refused += 1
        else:
            log.replays_accepted += 1


def run_responding(
    port: int, clients: int, per_client: int, tokens: list[str]
) -> tuple[list[ClientLog], float]:
    logs = [ClientLog() for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)
    token_iter = iter(tokens)
    lock = threading.Lock()

    def worker(c: int, log: ClientLog) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        barrier.wait()
        for i in range(per_client):
            number = c * per_client + i
            token = None
            if number % 2:
                with lock:
                    token = next(token_iter)
            respond(conn, log, number, token)
        conn.close()

    threads = [threading.Thread(target=worker, args=(c, logs[c])) for c in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return logs, time.perf_counter() - t0


def check_exactly_once(env: dict[str, str], logs: list[ClientLog]) -> tuple[str, int]:
    stored = json.loads(django_script(env, VERIFY))
    problems = []
    total = 0
    for kind, slug in (("open", "bench-open"), ("panel", "bench-panel")):
        accepted = sorted(n for log in logs for n in log.accepted[kind])
        found = sorted(stored[slug]["nr"])
        total += stored[slug]["responses"]
        if found != accepted:
            problems.append(f"{slug}: {len(found)} stored vs {len(accepted)} accepted")
        if len(set(found)) != len(found):
            problems.append(f"{slug}: duplicates")
        if stored[slug]["responses"] != len(found):
            problems.append(f"{slug}: responses without NR")
    if any(log.replays_accepted for log in logs):
        problems.append("a replayed submit was accepted")
    return ("yes" if not problems else "NO: " + "; ".join(problems)), total


def responding_rows(
    kind: str, env: dict, port: int, clients: int, per_client: int, tokens: list[str]
) -> list[list[object]]:
    logs, seconds = run_responding(port, clients, per_client, tokens)
    exactly_once, stored = check_exactly_once(env, logs)
    accepted = sum(len(v) for log in logs for v in log.accepted.values())
    errors = sum(len(log.errors) for log in logs)
    if errors:
        print(f"{kind}: first errors: {[e for log in logs for e in log.errors][:3]}")
    requests = sum(len(v) for log in logs for k, v in log.latencies_ms.items() if k != "response")
    requests += sum(log.replays_refused + log.replays_accepted for log in logs)
    rows = []
    for step in ("start", "save", "submit", "response"):
        lat = np.array([ms for log in logs for ms in log.latencies_ms[step]])
        rows.append(
            [
                kind,
                step if step != "response" else "whole response (3 requests)",
                len(lat),
                float(np.percentile(lat, 50)),
                float(np.percentile(lat, 95)),
            ]
        )
    summary = [
        kind,
        clients,
        requests,
        accepted,
        sum(log.replays_refused for log in logs),
        errors,
        stored,
        exactly_once,
        requests / seconds,
        accepted / seconds,
    ]
    return [summary, *rows]


# --- Run ----------------------------------------------------------------------------------------


def run(
    *, quick: bool = False, parts: tuple[str, ...] = PARTS, kinds: tuple[str, ...] = ()
) -> None:
    """`parts`: responding and/or results; `kinds`: sqlite and/or postgresql (default: both
    when PostgreSQL answers)."""
    clients, per_client = (4, 25) if quick else (8, 75)
    results_n = 5_000 if quick else 50_000
    kinds = kinds or ("sqlite", *(["postgresql"] if postgres_available() else []))
    summaries: list[list[object]] = []
    latencies: list[list[object]] = []
    results: list[list[object]] = []
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    for kind in kinds:
        tmp = Path(tempfile.mkdtemp(prefix="buurtstem-bench-surveys-"))
        try:
            if "responding" in parts:
                with fresh_database(kind, tmp) as url:
                    env = surveys_env(url, tmp)
                    count = str(clients * per_client // 2 + 1)
                    tokens = json.loads(django_script(env, SEED, count))
                    with gunicorn(env, tmp / "gunicorn.log") as port:
                        summary, *rows = responding_rows(
                            kind, env, port, clients, per_client, tokens
                        )
                        summaries.append(summary)
                        latencies += rows
            if "results" not in parts:
                continue
            with fresh_database(kind, tmp) as url:
                env = surveys_env(url, tmp)
                data = json.loads(django_script(env, RESULTS, str(results_n)).splitlines()[-1])
                results.append(
                    [
                        kind,
                        data["n"],
                        "yes" if data["weighted"] else f"no ({data['reason']})",
                        data["answers"],
                        data["insert_s"],
                        data["results"],
                        data["results_wijk"],
                        data["csv"],
                        data["csv_rows"],
                        data["maxrss_mb"],
                    ]
                )
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print_table(
        f"Survey responses over HTTP (gunicorn -w 2, {clients} client threads, half open link "
        "and half panel invitations; start + save all answers + submit)",
        [
            "database",
            "clients",
            "requests",
            "accepted",
            "replay refused",
            "errors",
            "stored",
            "exactly once",
            "requests/s",
            "responses/s",
        ],
        summaries,
    )
    print_table(
        "Survey response latency per request (ms)",
        ["database", "request", "n", "p50 ms", "p95 ms"],
        latencies,
    )
    print_table(
        "Survey results and CSV export (in-process, one questionnaire version)",
        [
            "database",
            "responses",
            "weighted",
            "answers",
            "bulk insert s",
            "results s",
            "results by wijk s",
            "CSV export s",
            "CSV rows",
            "peak RSS MB",
        ],
        results,
    )
    print(
        f"total {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs; load average "
        f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after (other processes compete "
        "with the server and the clients for the same cores)"
    )


if __name__ == "__main__":
    # .venv/bin/python -m tests.bench.bench_surveys [--quick] [--responding | --results]
    #     [--sqlite | --postgresql]
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    run(
        quick="--quick" in sys.argv,
        parts=tuple(p for p in PARTS if f"--{p}" in sys.argv) or PARTS,
        kinds=tuple(k for k in ("sqlite", "postgresql") if f"--{k}" in sys.argv),
    )

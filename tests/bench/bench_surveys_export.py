"""Surveys: the anonymous CSV export for 50,000 responses, streamed versus the previous
implementation that loaded every answer at once (tests/surveys/export_reference.py).

Data: the RESULTS builder of `tests.bench.bench_surveys` (50,000 submitted responses of the
template survey, ≈ 37 answer rows each). Filling takes minutes on a busy machine, so a filled
database can be reused: `--database-url URL` (as left behind by `--keep`), otherwise a fresh
temporary SQLite file or PostgreSQL database `BENCH_SURVEYS_EXPORT_PG_DB` is filled first.

Each measurement runs in its own subprocess, writing the CSV to /dev/null: the wall time, the
peak RSS of the process (`ru_maxrss`, which includes Django itself, ≈ 100 MB: the RSS before
the export is printed as well) and, in a separate run, the peak of Python allocations during
the export (`tracemalloc`, which slows the run down, so its time is not reported).

    .venv/bin/python -m tests.bench.bench_surveys_export [--quick] [--sqlite | --postgresql]
        [--database-url URL] [--keep] [--no-reference]
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.bench_reports import _pg_admin, django_script, postgres_available
from tests.bench.bench_surveys import RESULTS, surveys_env
from tests.bench.table import print_table

ROOT = Path(__file__).resolve().parents[2]
PG_DB = os.environ.get("BENCH_SURVEYS_EXPORT_PG_DB", "buurtstem_bench_surveys_export")

# The RESULTS builder without its timings.
FILL = RESULTS.split("version = survey_version_published")[0] + (
    "\nprint(json.dumps({'insert_s': insert_s, 'answers': answer_rows}))\n"
)

EXPORT = """
import json, os, resource, time, tracemalloc
from surveys.models import Answer, Response, Survey
from surveys.selectors import survey_version_published

code, trace = sys.argv[1], sys.argv[2] == "trace"
if code == "reference":
    from tests.surveys.export_reference import responses_csv_write
else:
    from surveys.export import responses_csv_write
version = survey_version_published(survey=Survey.objects.get(slug="bench-results"))
answers = Answer.objects.filter(response__survey_version=version).count()
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if trace:
    tracemalloc.start()
t0 = time.perf_counter()
with open(os.devnull, "w") as out:
    rows = responses_csv_write(version=version, out=out)
seconds = time.perf_counter() - t0
peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
print(json.dumps({"rows": rows, "answers": answers, "s": seconds, "rss_before_mb": rss_before,
                  "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "traced_peak_mb": peak}))
"""


def export_measure(env: dict[str, str], code: str, *, trace: bool) -> dict[str, float]:
    out = django_script(env, EXPORT, code, "trace" if trace else "time")
    return json.loads(out.splitlines()[-1])


def export_rows(kind: str, env: dict[str, str], *, reference: bool) -> list[list[object]]:
    rows: list[list[object]] = []
    for code in ("reference", "streamed") if reference else ("streamed",):
        timed = export_measure(env, code, trace=False)
        traced = export_measure(env, code, trace=True)
        rows.append(
            [
                kind,
                code,
                timed["rows"],
                timed["answers"],
                timed["s"],
                timed["rss_before_mb"],
                timed["rss_peak_mb"],
                traced["traced_peak_mb"],
            ]
        )
    return rows


def run(
    *,
    quick: bool = False,
    kinds: tuple[str, ...] = (),
    database_url: str = "",
    keep: bool = False,
    reference: bool = True,
) -> None:
    n = 5_000 if quick else 50_000
    if database_url:
        kinds = ("postgresql" if database_url.startswith("postgres") else "sqlite",)
    kinds = kinds or ("sqlite", *(["postgresql"] if postgres_available() else []))
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    rows: list[list[object]] = []
    for kind in kinds:
        tmp = Path(tempfile.mkdtemp(prefix="buurtstem-bench-export-"))
        url = database_url
        try:
            if not url:
                if kind == "sqlite":
                    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
                else:
                    _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                    _pg_admin(f"CREATE DATABASE {PG_DB}")
                    url = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
                filled = json.loads(django_script(surveys_env(url, tmp), FILL, str(n)))
                print(f"{kind}: filled in {filled['insert_s']:.0f} s ({url})", flush=True)
            rows += export_rows(kind, surveys_env(url, tmp), reference=reference)
        finally:
            if not keep and not database_url:
                if kind == "postgresql":
                    _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                shutil.rmtree(tmp, ignore_errors=True)
    print_table(
        "Survey CSV export to /dev/null (in-process, one questionnaire version)",
        [
            "database",
            "export",
            "CSV rows",
            "answers",
            "time s",
            "RSS before MB",
            "peak RSS MB",
            "peak traced MB",
        ],
        rows,
    )
    print(
        f"total {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs; load average "
        f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    args = sys.argv[1:]
    url = args[args.index("--database-url") + 1] if "--database-url" in args else ""
    run(
        quick="--quick" in args,
        kinds=tuple(k for k in ("sqlite", "postgresql") if f"--{k}" in args),
        database_url=url,
        keep="--keep" in args,
        reference="--no-reference" not in args,
    )

"""Benchmarks (`make bench`): prints tables, asserts nothing about time.

Run: .venv/bin/python tests/bench/run.py [--quick] [--only geo]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BENCHES = {
    "geo": "tests.bench.bench_geo",
    "reports": "tests.bench.bench_reports",
    "surveys": "tests.bench.bench_surveys",
    "surveys-export": "tests.bench.bench_surveys_export",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Smaller sizes (smoke run).")
    parser.add_argument("--only", choices=sorted(BENCHES), action="append")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    from importlib import import_module

    for name in args.only or list(BENCHES):
        import_module(BENCHES[name]).run(quick=args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

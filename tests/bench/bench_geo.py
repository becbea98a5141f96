"""Point → buurt assignment: vectorised STRtree batch vs a per-point loop, and single lookups.

Two polygon sets: the 54 Leiden buurten (real, generalised) and a synthetic national-scale
tessellation of 14,000 Voronoi cells over the Netherlands' RD extent (about the number of CBS
buurten). Points are uniform over each set's bounding box, so part of them fall outside.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from geo.importing import rd_to_wgs84
from geo.index import BuurtIndex
from tests.bench.table import print_table

DATA = Path(__file__).resolve().parents[2] / "geo" / "data"
RNG = np.random.default_rng(20261125)


def leiden_index() -> BuurtIndex:
    features = json.loads((DATA / "leiden_buurten_2022_rd.geojson").read_text())["features"]
    geoms = [rd_to_wgs84(shapely.geometry.shape(f["geometry"])) for f in features]
    return BuurtIndex.from_geometries(range(1, len(geoms) + 1), geoms)


def national_index(n: int = 14_000) -> BuurtIndex:
    # RD extent of the Netherlands (land), Voronoi cells clipped to the box.
    xs = RNG.uniform(13_000, 278_000, n)
    ys = RNG.uniform(306_000, 620_000, n)
    box = shapely.box(13_000, 306_000, 278_000, 620_000)
    cells = shapely.voronoi_polygons(shapely.multipoints(np.column_stack([xs, ys])), extend_to=box)
    polys = [shapely.intersection(c, box) for c in cells.geoms]
    geoms = [rd_to_wgs84(p) for p in polys if not p.is_empty]
    return BuurtIndex.from_geometries(range(1, len(geoms) + 1), geoms)


def random_points(index: BuurtIndex, n: int) -> tuple[np.ndarray, np.ndarray]:
    min_lon, min_lat, max_lon, max_lat = index.bounds
    return RNG.uniform(min_lat, max_lat, n), RNG.uniform(min_lon, max_lon, n)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def naive_rate(index: BuurtIndex) -> float:
    """The naive baseline: a Python loop over the points testing every polygon in turn
    (no index), on a sample sized to take about a second; points per second."""
    geoms = list(index.geometries)
    sample = max(20, min(5_000, 2_000_000 // len(geoms)))
    lats, lons = random_points(index, sample)

    def loop() -> None:
        for lat, lon in zip(lats.tolist(), lons.tolist(), strict=True):
            point = shapely.Point(lon, lat)
            for geom in geoms:
                if geom.intersects(point):
                    break

    return sample / best_of(loop, 1)


def per_point_index_rate(index: BuurtIndex) -> float:
    """A Python loop calling the single-point lookup (with the index) for each point."""
    lats, lons = random_points(index, 50_000)

    def loop() -> None:
        lookup = index.lookup
        for lat, lon in zip(lats.tolist(), lons.tolist(), strict=True):
            lookup(lat, lon)

    return len(lats) / best_of(loop, 2)


def bench_batches(name: str, index: BuurtIndex, sizes: list[int]) -> list[list[object]]:
    rows = []
    naive = naive_rate(index)
    per_point = per_point_index_rate(index)
    for n in sizes:
        lats, lons = random_points(index, n)
        result = index.lookup_many(lats, lons)  # warm-up and correctness spot check
        check = RNG.choice(n, size=min(n, 2_000), replace=False)
        for i in check:
            single = index.lookup(float(lats[i]), float(lons[i]))
            assert (single if single is not None else -1) == result[i], "batch ≠ single lookup"
        seconds = best_of(lambda lats=lats, lons=lons: index.lookup_many(lats, lons), 3)
        rate = n / seconds
        rows.append(
            [
                name,
                len(index.area_ids),
                n,
                seconds * 1000,
                rate,
                naive,
                rate / naive,
                per_point,
                f"{(result >= 0).mean() * 100:.0f}%",
            ]
        )
    return rows


def bench_single(name: str, index: BuurtIndex, n: int) -> list[object]:
    lats, lons = random_points(index, n)
    lookup = index.lookup
    timings = np.empty(n)
    clock = time.perf_counter_ns
    for i, (lat, lon) in enumerate(zip(lats.tolist(), lons.tolist(), strict=True)):
        t0 = clock()
        lookup(lat, lon)
        timings[i] = clock() - t0
    us = timings / 1000
    return [
        name,
        n,
        float(statistics.fmean(us)),
        float(np.percentile(us, 50)),
        float(np.percentile(us, 99)),
    ]


def bench_service_single(n: int) -> list[object]:
    """The request path: validation + per-process cached index + lookup, on a real database."""
    import django

    tmp = tempfile.mkdtemp(prefix="buurtstem-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    django.setup()
    from django.core.management import call_command

    from geo.demo import leiden_areas_seed
    from geo.index import buurt_id_for_point, buurt_index_get

    call_command("migrate", verbosity=0)
    leiden_areas_seed()
    index = buurt_index_get()
    min_lon, min_lat, max_lon, max_lat = index.bounds
    # Points inside Leiden only (the service raises for outside points).
    pts = []
    while len(pts) < n:
        lat, lon = RNG.uniform(min_lat, max_lat), RNG.uniform(min_lon, max_lon)
        if index.lookup(lat, lon) is not None:
            pts.append((float(lat), float(lon)))
    timings = np.empty(n)
    clock = time.perf_counter_ns
    for i, (lat, lon) in enumerate(pts):
        t0 = clock()
        buurt_id_for_point(lat=lat, lon=lon)
        timings[i] = clock() - t0
    us = timings / 1000
    return [
        "buurt_id_for_point (Leiden, DB-backed cache)",
        n,
        float(statistics.fmean(us)),
        float(np.percentile(us, 50)),
        float(np.percentile(us, 99)),
    ]


def run(*, quick: bool = False) -> None:
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    t0 = time.perf_counter()
    leiden = leiden_index()
    national = national_index(2_000 if quick else 14_000)
    build_s = time.perf_counter() - t0
    rows = bench_batches("Leiden buurten", leiden, sizes)
    rows += bench_batches("Synthetic NL", national, sizes)
    print_table(
        f"Point → buurt, vectorised batch (index build for both sets: {build_s:.1f} s)",
        [
            "polygons",
            "n",
            "points",
            "batch ms",
            "points/s",
            "naive loop points/s",
            "× naive",
            "per-point index loop points/s",
            "inside",
        ],
        rows,
    )
    single_n = 20_000 if quick else 100_000
    print_table(
        "Single-point lookup latency (µs)",
        ["path", "lookups", "mean", "p50", "p99"],
        [
            bench_single("BuurtIndex.lookup, Leiden", leiden, single_n),
            bench_single("BuurtIndex.lookup, synthetic NL", national, single_n),
            bench_service_single(single_n // 5),
        ],
    )

"""Benchmark of `tema serve`: review answer time per labelled unit, report page load time.

    .venv/bin/python benchmarks/serve.py                 # a 10,000-unit batch, 200 labels
    .venv/bin/python benchmarks/serve.py --units 100000  # a larger one

A scratch project gets a processed batch of --units units written directly (as its job
leaves it: units, report tables, review order; tests/serve_helpers.fake_done_batch), then
`tema serve` starts on a free port and an HTTP client on this machine's loopback does what
a browser does:

- per labelled unit: POST the label (answered 303) and GET the review page with the next
  unit, in tema's suggested order and in the "uncertain only" order (half the batch);
- the report page (shares, intervals, drill-down links for every region, meeting and
  document) and one drill-down page, first load and again.

Targets (issue #17): ≤ 150 ms per labelled unit, ≤ 1 s for the report page. The figures
are wall-clock times on whatever else the machine is doing: read them with that in mind.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the scratch project and batch of the serve tests

REVIEW_TARGET_MS = 150
REPORT_TARGET_MS = 1000


def prepare(root: Path, units: int) -> str:
    """A scratch project with one processed batch of `units` units; returns its id."""
    from serve_helpers import fake_done_batch, make_project
    from tema.serve.state import AppState, ServeSettings

    make_project(root, root / "lexicon")
    os.chdir(root)
    state = AppState.create(ServeSettings(data_dir=Path("data/serve"), run_jobs=False))
    batch = fake_done_batch(state, units, name=f"{units} units", n_docs=max(20, units // 100))
    return batch.id


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def label_loop(client, batch: str, order: str, labels: int) -> list[float]:
    """Milliseconds per labelled unit: the POST and the next review page."""
    page = client.get(f"/batches/{batch}/review", params={"order": order})
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    themes = ["education", "employers", "discrimination", "housing", "voluntary", "other"]
    times = []
    for number in range(labels):
        doc = re.search(r'name="doc" value="([^"]+)"', page.text)
        unit = re.search(r'name="unit" value="([^"]+)"', page.text)
        if doc is None or unit is None:
            break
        data = {"csrf_token": token, "doc": doc.group(1), "unit": unit.group(1),
                "label": themes[number % 6], "order": order}  # fmt: skip
        start = time.perf_counter()
        answer = client.post(f"/batches/{batch}/review/label", data=data)
        assert answer.status_code == 303, answer.status_code
        page = client.get(answer.headers["location"])
        times.append((time.perf_counter() - start) * 1000)
        assert page.status_code == 200
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"median {statistics.median(ordered):6.1f} ms, p95 {p95:6.1f} ms, "
        f"max {ordered[-1]:6.1f} ms ({len(ordered)} labels)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--labels", type=int, default=200)
    args = parser.parse_args()
    import httpx2 as httpx

    with tempfile.TemporaryDirectory(prefix="tema-serve-bench-") as folder:
        root = Path(folder) / "project"
        made = time.perf_counter()
        batch = prepare(root, args.units)
        print(f"batch of {args.units:,} units written in {time.perf_counter() - made:.1f} s")
        from serve_helpers import start_serve

        process, url = start_serve(root, stderr=subprocess.DEVNULL)
        try:
            with httpx.Client(
                base_url=url.rstrip("/"), follow_redirects=False, timeout=60
            ) as client:
                first = client.get("/")
                token = re.search(r'name="csrf_token" value="([^"]+)"', first.text).group(1)
                client.post("/annotator", data={"csrf_token": token, "annotator": "bench"})
                report = [timed(lambda: client.get(f"/batches/{batch}/report")) for _ in range(5)]
                query = {"level": "region", "key": "Region 1", "theme": "housing"}
                units = f"/batches/{batch}/units"
                drill = [timed(lambda: client.get(units, params=query)) for _ in range(5)]
                suggested = label_loop(client, batch, "suggest", args.labels)
                uncertain = label_loop(client, batch, "uncertain", args.labels)
        finally:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=30)
    print_figures(report, drill, {"suggested order": suggested, "uncertain only": uncertain})


def verdict(milliseconds: float, target: int) -> str:
    return f"target ≤ {target} ms: {'ok' if milliseconds <= target else 'OVER'}"


def print_figures(report: list[float], drill: list[float], review: dict[str, list[float]]) -> None:
    print(
        f"report page: first {report[0]:.0f} ms, then median {statistics.median(report[1:]):.0f} "
        f"ms ({verdict(report[0], REPORT_TARGET_MS)})"
    )
    print(f"drill-down page: first {drill[0]:.0f} ms, then {statistics.median(drill[1:]):.0f} ms")
    for name, times in review.items():
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(
            f"review, {name}: per labelled unit {summary(times)} "
            f"({verdict(p95, REVIEW_TARGET_MS)} at p95)"
        )


if __name__ == "__main__":
    main()

"""Benchmark: the full synthetic Kyoto registry through (a) Madoguchi's engine and (b) stock
OpenFisca-Japan used vectorised as its documentation shows, on the same arrays.

    make bench-eligibility        (runs in the rules environment, .venv-rules)

Generates about 1.45 million persons in about 760,000 households, then runs each engine in its
own process (so that each one's peak memory is its own) on the five national programs (児童手当,
児童扶養手当, 特別児童扶養手当, 障害児福祉手当, 生活保護), with households lacking an income figure
evaluated at both bounds as the app does. Madoguchi's run also evaluates the three Kyoto
programs. Prints wall time and peak memory of each, the ratio, and the number of households
whose results differ (must be 0).
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from madoguchi.eligibility.rules import evaluate, synthetic
from madoguchi.eligibility.rules.openfisca_engine import OUTPUTS
from madoguchi.eligibility.rules.population import Population

DAY = dt.date(2026, 4, 1)
NATIONAL = [code for code, _low, _high in OUTPUTS]


def engine_process(kind: str, source: Path, target: Path) -> None:
    population = Population.load(source)
    started, cpu = time.perf_counter(), time.process_time()
    if kind == "madoguchi":
        results = evaluate.evaluate(population, DAY)
    else:
        results = evaluate.national(population, DAY, evaluate.national_engine(stock=True))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    evaluate.save(results, target)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak}))


def run(kind: str, source: Path, folder: Path) -> tuple[dict, evaluate.Results]:
    target = folder / f"{kind}.npz"
    completed = subprocess.run(
        [sys.executable, __file__, "--engine", kind, str(source), str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1]), evaluate.load(target)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as name:
        folder = Path(name)
        started = time.perf_counter()
        population = synthetic.generate()
        generated = time.perf_counter() - started
        source = folder / "registry.npz"
        population.save(source)
        print(
            f"synthetic Kyoto registry: {population.persons:,} persons, "
            f"{population.households:,} households, generated in {generated:.1f} s"
        )
        ours, our_results = run("madoguchi", source, folder)
        stock, stock_results = run("stock", source, folder)
        differ = np.zeros(population.households, dtype=bool)
        for code in NATIONAL:
            for bound in ("low", "high"):
                differ |= our_results[code][bound] != stock_results[code][bound]
        # CPU seconds too: on a shared machine wall time grows with the other processes' load.
        print(f"{'engine':<44} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
        print(
            f"{'(a) Madoguchi (5 national + 3 Kyoto programs)':<44} "
            f"{ours['seconds']:>8.2f} {ours['cpu_seconds']:>8.2f} {ours['peak_mb']:>8.0f}"
        )
        print(
            f"{'(b) stock OpenFisca-Japan (5 programs)':<44} "
            f"{stock['seconds']:>8.2f} {stock['cpu_seconds']:>8.2f} {stock['peak_mb']:>8.0f}"
        )
        print(f"ratio stock / Madoguchi: {stock['seconds'] / ours['seconds']:.1f}x faster")
        for code in NATIONAL:
            found = int((our_results[code]["high"] > 0).sum())
            print(f"  {code:<28} eligible or possible: {found:>8,}")
        print(f"households whose results differ: {int(differ.sum())}")
        if differ.any():
            sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--engine":
        engine_process(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()

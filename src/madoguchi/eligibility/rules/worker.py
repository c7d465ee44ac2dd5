"""Entry point of the isolated rules environment:

    python -m madoguchi.eligibility.rules.worker POPULATION.npz RESULTS.npz YYYY-MM-DD

reads a registry snapshot, evaluates every program, writes the results. The app calls it in a
subprocess (``eligibility.engine``); nothing personal is printed.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from . import evaluate
from .population import Population


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, target, day = Path(argv[0]), Path(argv[1]), dt.date.fromisoformat(argv[2])
    results = evaluate.evaluate(Population.load(source), day)
    evaluate.save(results, target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

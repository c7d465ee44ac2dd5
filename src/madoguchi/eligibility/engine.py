"""Runs the rules in their own Python environment (OpenFisca-Japan pins OpenFisca-Core 41 and
numpy < 1.25, which the app does not share) and brings the results back."""

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .rules import evaluate
from .rules.population import Population


class EngineFailed(RuntimeError):
    pass


def rules_python() -> Path:
    python = Path(settings.MADOGUCHI_RULES_PYTHON)
    if not python.exists():
        raise ImproperlyConfigured(
            f"The rules environment is missing ({python}); `make rules` creates it."
        )
    return python


def run(population: Population, day: dt.date) -> evaluate.Results:
    with tempfile.TemporaryDirectory(prefix="madoguchi-rules-") as folder:
        source, target = Path(folder) / "population.npz", Path(folder) / "results.npz"
        population.save(source)
        src = Path(sys.modules["madoguchi"].__file__).resolve().parent.parent
        completed = subprocess.run(  # noqa: S603 - a fixed command line, our own module
            [str(rules_python()), "-m", "madoguchi.eligibility.rules.worker", str(source),
             str(target), day.isoformat()],
            env={**os.environ, "PYTHONPATH": str(src)},
            capture_output=True,
            text=True,
            timeout=settings.MADOGUCHI_RULES_TIMEOUT,
            check=False,
        )  # fmt: skip
        if completed.returncode != 0:
            # Only the last line (the exception type and message): no registry data is printed.
            last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
            raise EngineFailed(last[:200])
        return evaluate.load(target)

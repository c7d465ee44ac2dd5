"""Guards: conditions other apps set on submitting (the fee is paid …). Each raises
``SubmissionBlocked`` with a message for the resident; the draft stays as it is."""

from collections.abc import Callable

from .models import Submission

Guard = Callable[[Submission], None]
_guards: list[Guard] = []


class SubmissionBlocked(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


def register_guard(guard: Guard) -> Guard:
    _guards.append(guard)
    return guard


def check(submission: Submission) -> None:
    for guard in _guards:
        guard(submission)

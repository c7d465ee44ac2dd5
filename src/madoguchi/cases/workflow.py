"""Which state may follow which. Anything not listed here is refused."""

from .models import Status

TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.APPROVED, Status.REJECTED},
    Status.APPROVED: {Status.ISSUED},
    Status.REJECTED: set(),
    Status.ISSUED: set(),
}

# States that end the case: nothing more happens, and the resident has the outcome.
FINAL = {Status.REJECTED, Status.ISSUED}
# States in which staff still have work to do.
OPEN = {Status.RECEIVED, Status.APPROVED}


class TransitionNotAllowed(Exception):
    pass


def check(from_status: str, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(from_status, set()):
        raise TransitionNotAllowed(f"{from_status} → {to_status} is not allowed.")

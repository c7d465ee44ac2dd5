"""Which state may follow which, and who may make each move. A procedure's ``Workflow`` lists
the transitions it allows; anything not listed there is refused.

Who moves a case is fixed by the move itself, whatever the workflow:

- the clerk (担当) starts the review, asks for a correction, drafts a decision (起案) — or, in a
  workflow without 決裁, decides;
- the 決裁者 approves or rejects a draft, or sends it back, and is never its drafter;
- the resident resubmits after a correction, or withdraws (取下げ);
- the system asks for payment (事後決済) and issues the document.
"""

from .models import Status

S = Status

# The default workflow: 受付 → 審査中 → (補正依頼 ⇄ 審査中) → 決裁待ち → 承認/却下
# → (支払待ち) → 交付済, and 取下げ by the resident until the decision.
STANDARD: dict[str, list[str]] = {
    S.RECEIVED: [S.IN_REVIEW, S.WITHDRAWN],
    S.IN_REVIEW: [S.CORRECTION_REQUESTED, S.AWAITING_APPROVAL, S.WITHDRAWN],
    S.CORRECTION_REQUESTED: [S.IN_REVIEW, S.WITHDRAWN],
    S.AWAITING_APPROVAL: [S.APPROVED, S.REJECTED, S.IN_REVIEW, S.WITHDRAWN],
    S.APPROVED: [S.AWAITING_PAYMENT, S.ISSUED],
    S.AWAITING_PAYMENT: [S.ISSUED, S.WITHDRAWN],
}
# For notifications (届出) that need no 決裁: the clerk decides in review.
CLERK_DECIDES: dict[str, list[str]] = {
    **STANDARD,
    S.IN_REVIEW: [S.CORRECTION_REQUESTED, S.APPROVED, S.REJECTED, S.WITHDRAWN],
}
DEFAULTS = {
    "standard": ("起案・決裁あり（標準）", "Drafted and approved (standard)", STANDARD),
    "clerk-decides": ("担当者が決定", "Decided by the clerk", CLERK_DECIDES),
}
DEFAULT_CODE = "standard"

# States that end the case: nothing more happens, and the resident has the outcome.
FINAL = {S.REJECTED, S.ISSUED, S.WITHDRAWN}
# States in which the city still has work to do (the queue's "open" filter, overdue flags).
OPEN = {S.RECEIVED, S.IN_REVIEW, S.AWAITING_APPROVAL, S.APPROVED}
# States in which the resident may withdraw (the workflow must also allow it).
WITHDRAWABLE = {
    S.RECEIVED,
    S.IN_REVIEW,
    S.CORRECTION_REQUESTED,
    S.AWAITING_APPROVAL,
    S.AWAITING_PAYMENT,
}

CLERK, APPROVER, RESIDENT, SYSTEM = "clerk", "approver", "resident", "system"


def mover(from_status: str, to_status: str) -> str:
    """Who makes this move (see the module docstring)."""
    if to_status == S.WITHDRAWN:
        return RESIDENT
    if from_status == S.CORRECTION_REQUESTED and to_status == S.IN_REVIEW:
        return RESIDENT
    if from_status == S.AWAITING_APPROVAL:
        return APPROVER
    if to_status in {S.AWAITING_PAYMENT, S.ISSUED}:
        return SYSTEM
    return CLERK


class TransitionNotAllowed(Exception):
    pass


def allowed(transitions: dict[str, list[str]], from_status: str) -> list[str]:
    return list(transitions.get(from_status, []))


def check(transitions: dict[str, list[str]], from_status: str, to_status: str) -> None:
    if to_status not in transitions.get(from_status, []):
        raise TransitionNotAllowed(f"{from_status} → {to_status} is not allowed.")


def validate_definition(transitions: dict[str, list[str]]) -> None:
    """A definition may only use known states, must start at 受付, and from every state it
    reaches a case must be able to end (no state a case could be stuck in)."""
    known = set(Status.values)
    for source, targets in transitions.items():
        if source not in known or not set(targets) <= known:
            raise ValueError(f"Unknown state in {source}: {targets}.")
    if S.RECEIVED not in transitions:
        raise ValueError("A workflow starts at received (受付).")
    reachable, queue = {S.RECEIVED.value}, [S.RECEIVED.value]
    while queue:
        for target in transitions.get(queue.pop(), []):
            if target not in reachable:
                reachable.add(target)
                queue.append(target)
    for state in reachable:
        if not _can_end(transitions, state):
            raise ValueError(f"A case in {state} could never end.")


def _can_end(transitions: dict[str, list[str]], start: str) -> bool:
    seen, queue = {start}, [start]
    while queue:
        state = queue.pop()
        if state in FINAL:
            return True
        for target in transitions.get(state, []):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return False

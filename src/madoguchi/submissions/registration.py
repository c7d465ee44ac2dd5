"""Registration targets: where a submitted application goes next (a case in Madoguchi's own
back office, or a plugin for an external system). They run inside the submitting transaction,
so that an acknowledged submission always reached its targets."""

from collections.abc import Callable

from .models import Submission

Target = Callable[[Submission], None]
_targets: dict[str, Target] = {}


def register_target(key: str) -> Callable[[Target], Target]:
    def decorator(target: Target) -> Target:
        _targets[key] = target
        return target

    return decorator


def run_targets(submission: Submission) -> None:
    for target in _targets.values():
        target(submission)

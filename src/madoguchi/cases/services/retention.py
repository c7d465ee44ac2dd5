"""Retention: what is left of a case once its application is anonymised."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from ..models import Case, CaseEvent, CaseNote, Correction


def anonymise(case_ids: Iterable[int], *, owner: Any) -> int:
    """Drop the free texts that may name or describe the resident (reasons, notes, corrections)
    and the resident as the actor of events (``owner`` names nobody); keep what statistics
    read: status, procedure, section, dates, the events' states and times."""
    ids = list(case_ids)
    count = Case.objects.filter(pk__in=ids).update(draft_reason="", decision_reason="")
    CaseNote.objects.filter(case_id__in=ids).delete()
    Correction.objects.filter(case_id__in=ids).update(message="", answers_before={})
    Correction.objects.filter(case_id__in=ids, answers_after__isnull=False).update(answers_after={})
    # Events are never edited, except this: blanking their reasons once retention ends. The
    # base manager is the plain one, without the queryset that refuses every update.
    events = CaseEvent._base_manager.filter(case_id__in=ids)
    events.filter(~Q(reason="")).update(reason="")
    events.filter(actor__kind="resident").update(actor=owner)
    return count

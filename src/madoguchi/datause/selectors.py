from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from madoguchi.core.i18n import localized, pick
from madoguchi.forms import prefill

from .models import DataUse


@dataclass(frozen=True)
class UseRow:
    used_at: datetime
    item: str
    source: str
    purpose: str
    by_staff: bool
    reference: str


def _own(user: Any) -> QuerySet[DataUse]:
    """The uses of the resident's own data: by their account or their registry record."""
    mine = Q(account=user)
    if user.person_id:
        mine |= Q(person_id=user.person_id)
    return DataUse.objects.filter(mine).select_related("procedure", "submission")


def own_uses(user: Any) -> list[UseRow]:
    return [_row(use) for use in _own(user)]


def uses_for_submission(user: Any, submission: Any) -> list[UseRow]:
    return [_row(use) for use in _own(user).filter(submission=submission)]


def _row(use: DataUse) -> UseRow:
    attribute = prefill.attribute(use.attribute) if use.attribute else None
    if attribute is not None:
        item, source = pick(attribute.label), pick(attribute.source_label)
    else:
        item, source = _("住民記録（氏名・生年月日・住所・世帯）"), _("住民基本台帳")
    if use.procedure is not None:
        purpose = _("「%(procedure)s」の申請") % {"procedure": localized(use.procedure, "name")}
    else:
        purpose = _("窓口での本人確認と申請の補助")
    submission = use.submission
    return UseRow(
        used_at=use.used_at,
        item=item,
        source=source,
        purpose=purpose,
        by_staff=use.used_by_id is not None,
        reference=(submission.reference or "") if submission else "",
    )

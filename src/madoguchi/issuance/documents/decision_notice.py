"""却下通知書: the written notice of a rejection, with its reason and how to appeal, as
行政手続法第8条 and 行政不服審査法第82条 ask of a decision that refuses an application."""

import datetime as dt
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from madoguchi.core.wareki import format_both
from madoguchi.organizations.models import OrgUnit

from ..pdf import build_a4, office_head, seal_image, styles
from .base import DocumentType, Verification
from .registry import register


@register
class DecisionNotice(DocumentType):
    key = "decision_notice"
    title_ja = "却下通知書"
    title_en = "Notice of rejection"

    def render(
        self,
        submission: Any,
        *,
        office: OrgUnit,
        issued_on: dt.date,
        verification: Verification,
        details: dict[str, str],
    ) -> bytes:
        s = styles()
        person = submission.person
        head = office_head(office)
        submitted_on = submission.submitted_at.date() if submission.submitted_at else issued_on
        story: list[Any] = [
            Paragraph(format_both(issued_on), s["right"]),
            Spacer(1, 6 * mm),
            Paragraph(f"{person.full_name if person else ''}　様", s["body"]),
            Spacer(1, 4 * mm),
            Paragraph(head, s["right"]),
        ]
        if seal := seal_image(16 * mm):
            seal.hAlign = "RIGHT"
            story.append(seal)
        story += [
            Spacer(1, 10 * mm),
            Paragraph(self.title_ja, s["title"]),
            Spacer(1, 8 * mm),
            Paragraph(
                f"{format_both(submitted_on)}付けで申請のあった{submission.procedure.name_ja}"
                f"（受付番号 {submission.reference}）については、次の理由により却下します。",
                s["body"],
            ),
            Spacer(1, 6 * mm),
            Paragraph("理由", s["label"]),
            Paragraph(details.get("reason", ""), s["body"]),
            Spacer(1, 10 * mm),
            Paragraph("教示", s["label"]),
            Paragraph(
                "この処分に不服がある場合は、この処分があったことを知った日の翌日から起算して"
                f"3か月以内に、{office.municipality.name_ja}長に対して審査請求をすることができます。"
                "また、この処分の取消しの訴えは、この処分があったことを知った日から6か月以内に、"
                f"{office.municipality.name_ja}を被告として提起することができます。",
                s["small"],
            ),
            Spacer(1, 8 * mm),
            Paragraph(f"担当 {office.full_name}　{office.phone}", s["small"]),
        ]
        return build_a4(
            story,
            title=self.title_ja,
            author=office.municipality.name_ja,
            subject=submission.reference,
            margin=22 * mm,
            code=verification.code,
            url=verification.url,
        )

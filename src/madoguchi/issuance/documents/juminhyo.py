"""住民票の写し (a certified copy of the resident record), as 住民基本台帳法第12条 provides."""

import datetime as dt
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from madoguchi.core.wareki import format_both
from madoguchi.organizations.models import OrgUnit
from madoguchi.residents.models import Person
from madoguchi.residents.selectors import persons_in_household

from ..pdf import build_a4, office_head, seal_image, styles
from .base import DocumentType, Verification
from .registry import register

YES = "yes"


@register
class Juminhyo(DocumentType):
    key = "juminhyo"
    title_ja = "住民票の写し"
    title_en = "Certified copy of the resident record"

    def render(
        self,
        submission: Any,
        *,
        office: OrgUnit,
        issued_on: dt.date,
        verification: Verification,
        details: dict[str, str],
    ) -> bytes:
        answers = submission.answers
        member_ids = [int(i) for i in answers.get("members", [])]
        persons = persons_in_household(submission.person, member_ids)
        copies = int(answers.get("copies", 1))
        with_relationship = answers.get("include_relationship") == YES
        with_honseki = answers.get("include_honseki") == YES

        story: list[Any] = []
        for copy in range(1, copies + 1):
            if copy > 1:
                story.append(PageBreak())
            story += self._copy(
                submission,
                persons,
                office,
                issued_on,
                copy,
                copies,
                with_relationship,
                with_honseki,
            )
        return build_a4(
            story,
            title=self.title_ja,
            author=office.municipality.name_ja,
            subject=submission.reference,
            margin=18 * mm,
            code=verification.code,
            url=verification.url,
        )

    def _copy(
        self,
        submission: Any,
        persons: list[Person],
        office: OrgUnit,
        issued_on: dt.date,
        copy: int,
        copies: int,
        with_relationship: bool,
        with_honseki: bool,
    ) -> list[Any]:
        s = styles()
        household = persons[0].household
        head = household.head
        story: list[Any] = [
            Paragraph(self.title_ja, s["title"]),
            Spacer(1, 6 * mm),
            _grid(
                [
                    [Paragraph("住所", s["label"]), Paragraph(household.address, s["body"])],
                    [
                        Paragraph("世帯主", s["label"]),
                        Paragraph(head.full_name if head else "", s["body"]),
                    ],
                ],
                [30 * mm, 144 * mm],
            ),
            Spacer(1, 4 * mm),
        ]
        for person in persons:
            rows = [
                ["氏名", f"{person.full_name}（{person.full_name_kana}）"],
                ["生年月日", format_both(person.birth_date)],
                ["性別", person.get_sex_display()],
                ["続柄", person.get_relationship_display() if with_relationship else "省略"],
                ["住民となった年月日", format_both(person.became_resident_on)],
                ["住所を定めた年月日", format_both(person.address_since)],
            ]
            if with_honseki:
                rows += [["本籍", person.honseki], ["筆頭者", person.hittousha]]
            else:
                rows += [["本籍・筆頭者", "省略"]]
            story += [
                _grid(
                    [[Paragraph(k, s["label"]), Paragraph(v, s["body"])] for k, v in rows],
                    [30 * mm, 144 * mm],
                ),
                Spacer(1, 3 * mm),
            ]
        story += [
            Spacer(1, 6 * mm),
            Paragraph("この写しは、住民票の原本と相違ないことを証明する。", s["body"]),
            Spacer(1, 3 * mm),
            Paragraph(format_both(issued_on), s["body"]),
            Paragraph(office_head(office), s["right"]),
        ]
        if seal := seal_image(18 * mm):
            seal.hAlign = "RIGHT"
            story.append(seal)
        story += [
            Spacer(1, 8 * mm),
            Paragraph(
                f"受付番号 {submission.reference}　／　{copy}通目（全{copies}通）　／　"
                f"発行 {office.full_name}",
                s["small"],
            ),
        ]
        return story


def _grid(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table

"""PDF building blocks: the embedded Japanese font and the styles official documents use."""

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Table

FONT_NAME = "IPAexGothic"
FONT_PATH = Path(__file__).parent / "fonts" / "ipaexg.ttf"


@cache
def register_font() -> str:
    """Register IPAexGothic once; reportlab embeds the subset of glyphs each PDF uses."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH)))
    return FONT_NAME


def styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=28, alignment=1),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        "label": ParagraphStyle(
            "label", parent=base, fontSize=9, textColor=colors.HexColor("#333333")
        ),
        "right": ParagraphStyle("right", parent=base, alignment=2),
    }


def qr_image(url: str, size: float) -> Image:
    """A QR code (``segno``, the project's one QR library) as a reportlab image ``size``
    points wide."""
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return Image(buffer, width=size, height=size)


def verification_footer(code: str, url: str) -> Callable[[Canvas, Any], None]:
    """Draws, at the foot of every page, the QR code and the verification code, so that
    anyone can check the document (use with ``FOOTER_HEIGHT`` of bottom margin)."""
    image = qr_image(url, 22 * mm)
    s = styles()
    text = Table(
        [
            [
                Paragraph(
                    "この書類は電子署名されています。次の検証ページで真正性を確認できます。",
                    s["small"],
                )
            ],
            [Paragraph(f"検証コード　{code}", s["body"])],
            [Paragraph(url, s["small"])],
        ],
        colWidths=[140 * mm],
    )

    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        x, y = doc.leftMargin, 12 * mm
        canvas.setStrokeColor(colors.HexColor("#555555"))
        canvas.rect(x, y, doc.width, 26 * mm, stroke=1, fill=0)
        image.drawOn(canvas, x + 2 * mm, y + 2 * mm)
        _w, h = text.wrapOn(canvas, 140 * mm, 26 * mm)
        text.drawOn(canvas, x + 28 * mm, y + (26 * mm - h) / 2)
        canvas.restoreState()

    return draw


FOOTER_HEIGHT = 42 * mm


def seal_image(size: float) -> Image | None:
    """The municipality's seal (公印), when one is configured."""
    path = settings.MADOGUCHI_SEAL_IMAGE
    if not path or not Path(path).exists():
        return None
    return Image(path, width=size, height=size)


def office_head(office: Any) -> str:
    """Who issues in the office's name: 京都市中京区長 for a ward's section."""
    ward = office.ward or office
    return f"{office.municipality.name_ja}{ward.name_ja.removesuffix('役所')}長"


def build_a4(
    story: list[Any], *, title: str, author: str, subject: str, margin: float, code: str, url: str
) -> bytes:
    """An A4 document with the verification footer (QR code and code) on every page."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=FOOTER_HEIGHT,
        title=title,
        author=author,
        subject=subject,
    )
    footer = verification_footer(code, url)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()

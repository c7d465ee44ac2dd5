"""PDF building blocks: the embedded Japanese font and the styles official documents use."""

from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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

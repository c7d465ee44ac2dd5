"""The programs Madoguchi evaluates: rules as code with their legal source, effective dates and
version. Texts shown to people are translated in the Django app (``eligibility.catalog``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

OPENFISCA_JAPAN = "openfisca-japan 2.2.0"
KYOTO_RULES = "madoguchi-kyoto 2025.1"


@dataclass(frozen=True)
class Program:
    code: str
    name_ja: str
    category: str  # what residents opt out of: child, single_parent, disability, elderly, living
    legal_basis: str
    source_url: str
    effective_from: dt.date
    engine: str  # "openfisca" or "kyoto"
    version: str
    # The catalog procedure that applies for it; "" when no application is needed.
    procedure: str
    # Monthly yen (cash benefits) or persons covered (services, cards).
    unit: str
    effective_until: dt.date | None = None

    @property
    def needs_application(self) -> bool:
        return bool(self.procedure)

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )


PROGRAMS = (
    Program(
        "jido-teate",
        "児童手当",
        "child",
        "児童手当法（令和6年10月改正）",
        "https://www.cfa.go.jp/policies/kokoseido/jidouteate/annai/",
        dt.date(2024, 10, 1),
        "openfisca",
        OPENFISCA_JAPAN,
        "child-allowance-claim",
        "yen",
    ),
    Program(
        "jido-fuyo-teate",
        "児童扶養手当",
        "single_parent",
        "児童扶養手当法",
        "https://www.cfa.go.jp/policies/hitori-oya/fuyou-teate/",
        dt.date(2024, 11, 1),
        "openfisca",
        OPENFISCA_JAPAN,
        "child-rearing-allowance-claim",
        "yen",
    ),
    Program(
        "tokubetsu-jido-fuyo-teate",
        "特別児童扶養手当",
        "disability",
        "特別児童扶養手当等の支給に関する法律",
        "https://www.mhlw.go.jp/bunya/shougaihoken/jidou/huyou.html",
        dt.date(2023, 4, 1),
        "openfisca",
        OPENFISCA_JAPAN,
        "special-child-allowance-claim",
        "yen",
    ),
    Program(
        "shogaiji-fukushi-teate",
        "障害児福祉手当",
        "disability",
        "特別児童扶養手当等の支給に関する法律 第2章の2",
        "https://www.mhlw.go.jp/bunya/shougaihoken/jidou/hukushi.html",
        dt.date(2023, 4, 1),
        "openfisca",
        OPENFISCA_JAPAN,
        "disabled-child-welfare-allowance-claim",
        "yen",
    ),
    Program(
        "seikatsu-hogo",
        "生活保護",
        "living",
        "生活保護法、生活保護法による保護の基準（昭和38年厚生省告示第158号）",
        "https://www.mhlw.go.jp/content/000776372.pdf",
        dt.date(2023, 10, 1),
        "openfisca",
        OPENFISCA_JAPAN,
        "public-assistance",
        "yen",
    ),
    Program(
        "kodomo-iryo",
        "子ども医療費支給制度",
        "child",
        "京都市子ども医療費支給条例",
        "https://www.city.kyoto.lg.jp/hagukumi/page/0000067393.html",
        dt.date(2023, 9, 1),
        "kyoto",
        KYOTO_RULES,
        "child-medical-subsidy",
        "persons",
    ),
    Program(
        "keiro-jyoshasho",
        "敬老乗車証",
        "elderly",
        "京都市敬老乗車証交付規則（令和4年10月見直し）",
        "https://www.city.kyoto.lg.jp/hokenfukushi/page/0000290133.html",
        dt.date(2022, 10, 1),
        "kyoto",
        KYOTO_RULES,
        "keiro-jyoshasho",
        "persons",
    ),
    Program(
        "hitorioya-iryo",
        "ひとり親家庭等医療費支給制度",
        "single_parent",
        "京都市ひとり親家庭等医療費支給条例",
        "https://www.city.kyoto.lg.jp/hagukumi/page/0000160272.html",
        dt.date(2024, 11, 1),
        "kyoto",
        KYOTO_RULES,
        "single-parent-medical-subsidy",
        "persons",
    ),
)
BY_CODE = {program.code: program for program in PROGRAMS}

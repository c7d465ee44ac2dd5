"""The licences datasets may use: CC BY 4.0 and the government's 公共データ利用規約 (PDL1.0)
first, then CKAN's default licence list with its ids (ckan/model/license.py), so that harvested
and loaded datasets keep theirs. Seeded by a migration; ``seed`` is idempotent."""

from typing import Any

LICENSES = [
    (
        "cc-by-4.0",
        "クリエイティブ・コモンズ 表示 4.0 国際",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
        "approved",
    ),
    (
        "pdl-1.0",
        "公共データ利用規約（第1.0版）",
        "Public Data License (Version 1.0)",
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
        "approved",
    ),
    ("notspecified", "ライセンス未指定", "License not specified", "", "not reviewed"),
    (
        "odc-pddl",
        "Open Data Commons Public Domain Dedication and License (PDDL)",
        "Open Data Commons Public Domain Dedication and License (PDDL)",
        "http://www.opendefinition.org/licenses/odc-pddl",
        "approved",
    ),
    (
        "odc-odbl",
        "Open Data Commons Open Database License (ODbL)",
        "Open Data Commons Open Database License (ODbL)",
        "http://www.opendefinition.org/licenses/odc-odbl",
        "approved",
    ),
    (
        "odc-by",
        "Open Data Commons Attribution License",
        "Open Data Commons Attribution License",
        "http://www.opendefinition.org/licenses/odc-by",
        "approved",
    ),
    (
        "cc-zero",
        "クリエイティブ・コモンズ CC0",
        "Creative Commons CCZero",
        "http://www.opendefinition.org/licenses/cc-zero",
        "approved",
    ),
    (
        "cc-by",
        "クリエイティブ・コモンズ 表示",
        "Creative Commons Attribution",
        "http://www.opendefinition.org/licenses/cc-by",
        "approved",
    ),
    (
        "cc-by-sa",
        "クリエイティブ・コモンズ 表示—継承",
        "Creative Commons Attribution Share-Alike",
        "http://www.opendefinition.org/licenses/cc-by-sa",
        "approved",
    ),
    (
        "gfdl",
        "GNU Free Documentation License",
        "GNU Free Documentation License",
        "http://www.opendefinition.org/licenses/gfdl",
        "approved",
    ),
    ("other-open", "その他（オープン）", "Other (Open)", "", "approved"),
    ("other-pd", "その他（パブリックドメイン）", "Other (Public Domain)", "", "approved"),
    ("other-at", "その他（表示）", "Other (Attribution)", "", "approved"),
    (
        "uk-ogl",
        "UK Open Government Licence (OGL)",
        "UK Open Government Licence (OGL)",
        "http://reference.data.gov.uk/id/open-government-licence",
        "approved",
    ),
    (
        "cc-nc",
        "クリエイティブ・コモンズ 表示—非営利",
        "Creative Commons Non-Commercial (Any)",
        "http://creativecommons.org/licenses/by-nc/2.0/",
        "not reviewed",
    ),
    ("other-nc", "その他（非営利）", "Other (Non-Commercial)", "", "not reviewed"),
    ("other-closed", "その他（非オープン）", "Other (Not Open)", "", "not reviewed"),
]


def seed(model: Any) -> None:
    """Create or refresh every licence (``model``: the License model, current or historical)."""
    for position, (key, title_ja, title_en, url, od) in enumerate(LICENSES):
        model.objects.update_or_create(
            id=key,
            defaults={
                "title_ja": title_ja,
                "title_en": title_en,
                "url": url,
                "od_conformance": od,
                "position": position,
            },
        )

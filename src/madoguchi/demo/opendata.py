"""Kyoto demo datasets for the open data portal: a few 自治体標準オープンデータセット with small
CSV files (checked against their standard and marked), and the platform's own statistics.

The places are real landmarks with approximate coordinates; the rows are illustrations, not
the city's official lists."""

from django.core.files.base import ContentFile

from madoguchi.opendata import conformance, services, statistics
from madoguchi.opendata.models import Dataset, Group
from madoguchi.opendata.standards import table_text, validate_csv
from madoguchi.organizations.models import Municipality, OrgUnit

CITY = {"全国地方公共団体コード": "261009", "地方公共団体名": "京都市"}

GROUPS = [
    ("bosai", "防災", "Disaster preparedness"),
    ("kenko", "健康・医療", "Health"),
    ("kanko", "観光・まちづくり", "Tourism and the city"),
]

SHELTERS = [
    ("001", "京都御苑", "キョウトギョエン", "京都府京都市上京区京都御苑", 35.0254, 135.7621),
    ("002", "岡崎公園", "オカザキコウエン", "京都府京都市左京区岡崎最勝寺町", 35.0133, 135.7822),
    ("003", "梅小路公園", "ウメコウジコウエン", "京都府京都市下京区観喜寺町", 34.9877, 135.7447),
    (
        "004",
        "宝が池公園",
        "タカラガイケコウエン",
        "京都府京都市左京区上高野流田町",
        35.0603,
        135.7889,
    ),
    (
        "005",
        "西京極総合運動公園",
        "ニシキョウゴクソウゴウウンドウコウエン",
        "京都府京都市右京区西京極新明町",
        34.9811,
        135.7225,
    ),
    (
        "006",
        "伏見桃山城運動公園",
        "フシミモモヤマジョウウンドウコウエン",
        "京都府京都市伏見区桃山町大蔵",
        34.9366,
        135.7828,
    ),
]
AEDS = [
    (
        "001",
        "京都市役所",
        "キョウトシヤクショ",
        "京都府京都市中京区寺町通御池上る上本能寺前町488",
        35.0116,
        135.7681,
        "1階 正面玄関",
        "有",
    ),
    (
        "002",
        "中京区役所",
        "ナカギョウクヤクショ",
        "京都府京都市中京区西堀川通御池下る西三坊堀川町521",
        35.0103,
        135.7518,
        "1階 市民窓口課前",
        "有",
    ),
    (
        "003",
        "左京区役所",
        "サキョウクヤクショ",
        "京都府京都市左京区松ケ崎堂ノ上町7-2",
        35.0484,
        135.7815,
        "1階 エントランス",
        "無",
    ),
    (
        "004",
        "京都市勧業館",
        "キョウトシカンギョウカン",
        "京都府京都市左京区岡崎成勝寺町9-1",
        35.0137,
        135.7838,
        "1階 総合案内",
        "有",
    ),
    (
        "005",
        "京都駅前地下街",
        "キョウトエキマエチカガイ",
        "京都府京都市下京区東塩小路町902",
        34.9870,
        135.7594,
        "中央案内所",
        "無",
    ),
]
TOILETS = [
    (
        "001",
        "円山公園公衆トイレ",
        "マルヤマコウエンコウシュウトイレ",
        "京都府京都市東山区円山町",
        35.0036,
        135.7810,
        "有",
        "有",
        "有",
    ),
    (
        "002",
        "嵐山公園公衆トイレ",
        "アラシヤマコウエンコウシュウトイレ",
        "京都府京都市右京区嵯峨中ノ島町",
        35.0120,
        135.6775,
        "有",
        "無",
        "有",
    ),
    (
        "003",
        "清水坂公衆トイレ",
        "キヨミズザカコウシュウトイレ",
        "京都府京都市東山区清水二丁目",
        34.9966,
        135.7800,
        "有",
        "有",
        "無",
    ),
    (
        "004",
        "二条城前公衆トイレ",
        "ニジョウジョウマエコウシュウトイレ",
        "京都府京都市中京区二条城町",
        35.0134,
        135.7479,
        "有",
        "有",
        "有",
    ),
]


def _place(number: str, name: str, kana: str, address: str, lat: float, lon: float) -> dict:
    return {
        **CITY,
        "ID": number,
        "名称": name,
        "名称_カナ": kana,
        "所在地_連結表記": address,
        "所在地_都道府県": "京都府",
        "所在地_市区町村": address[3:].split("区")[0] + "区",
        "緯度": lat,
        "経度": lon,
    }


def _files() -> list[dict]:
    shelters = [
        {
            **_place(*row),
            "電話番号": "075-222-3111",
            "市区町村コード": CITY["全国地方公共団体コード"],
            "災害種別_地震": "1",
            "災害種別_大規模な火事": "1",
            "想定収容人数": 5000,
        }
        for row in SHELTERS
    ]
    aeds = [
        {
            **_place(*row[:6]),
            "設置位置": row[6],
            "小児対応設備の有無": row[7],
            "利用可能曜日": "月火水木金",
            "開始時間": "08:45",
            "終了時間": "17:30",
        }
        for row in AEDS
    ]
    toilets = [
        {
            **_place(*row[:6]),
            "車椅子使用者用トイレ有無": row[6],
            "乳幼児用設備設置トイレ有無": row[7],
            "オストメイト設置トイレ有無": row[8],
            "設置位置": "敷地内",
            "バリアフリートイレ数": 1,
        }
        for row in TOILETS
    ]
    return [
        {
            "name": "kyoto-evacuation-sites",
            "title": "指定緊急避難場所一覧",
            "title_en": "Designated emergency evacuation sites",
            "notes": "災害のときに緊急に避難する場所の一覧です（デモ用の抜粋）。",
            "notes_en": "Designated emergency evacuation sites (an excerpt for the demo).",
            "unit": "gyozaisei",
            "group": "bosai",
            "tags": ["防災", "避難場所"],
            "standard": "evacuation_sites",
            "file": "evacuation_sites.csv",
            "rows": shelters,
        },
        {
            "name": "kyoto-aed-locations",
            "title": "AED設置箇所一覧",
            "title_en": "AED locations",
            "notes": "市の施設などのAED（自動体外式除細動器）の一覧です（デモ用の抜粋）。",
            "notes_en": "AEDs in city facilities (an excerpt for the demo).",
            "unit": "hoken-fukushi",
            "group": "kenko",
            "tags": ["AED", "救急"],
            "standard": "aed_locations",
            "file": "aed_locations.csv",
            "rows": aeds,
        },
        {
            "name": "kyoto-public-toilets",
            "title": "公衆トイレ一覧",
            "title_en": "Public toilets",
            "notes": "観光地などにある公衆トイレの一覧です。デモ用の抜粋です。",
            "notes_en": "Public toilets at sights and elsewhere (an excerpt for the demo).",
            "unit": "sogo-kikaku",
            "group": "kanko",
            "tags": ["トイレ", "観光", "バリアフリー"],
            "standard": "public_toilets",
            "file": "public_toilets.csv",
            "rows": toilets,
        },
    ]


def load(municipality: Municipality) -> list[str]:
    """Create the demo datasets that are missing and publish the statistics; the names."""
    for name, title_ja, title_en in GROUPS:
        if not Group.objects.filter(name=name).exists():
            services.save_group({"name": name, "title": title_ja, "title_en": title_en})
    names = []
    for spec in _files():
        names.append(spec["name"])
        if Dataset.objects.filter(name=spec["name"]).exists():
            continue
        unit = OrgUnit.objects.get(municipality=municipality, code=spec["unit"])
        dataset = services.save_dataset(
            None,
            {
                "name": spec["name"],
                "title": spec["title"],
                "title_en": spec["title_en"],
                "notes": spec["notes"],
                "notes_en": spec["notes_en"],
                "owner_org": services.organization_for_unit(unit).name,
                "groups": [{"name": spec["group"]}],
                "tags": [{"name": tag} for tag in spec["tags"]],
                "license_id": "cc-by-4.0",
                "frequency": "annual",
                "spatial": municipality.name_ja,
            },
        )
        data = table_text(spec["standard"], spec["rows"]).encode("utf-8")
        resource = services.save_resource(
            None,
            {"package_id": str(dataset.id), "name": spec["file"], "format": "CSV"},
            ContentFile(data, name=spec["file"]),
        )
        conformance.record(None, resource, validate_csv(data, spec["standard"]))
    return names + statistics.publish(municipality)

"""Builders for catalog tests: organizations of Kyoto's bureaus, datasets and CSV resources
made through the catalog's own services."""

from typing import Any

from django.core.files.base import ContentFile

from madoguchi.opendata import services
from madoguchi.opendata.models import Dataset, Organization, Resource
from madoguchi.organizations.models import Municipality, OrgUnit

EVACUATION_CSV = (
    "全国地方公共団体コード,ID,地方公共団体名,名称,緯度,経度\r\n"
    "261009,001,京都市,京都御苑,35.0254,135.7621\r\n"
    "261009,002,京都市,岡崎公園,35.0133,135.7822\r\n"
)


def organization(municipality: Municipality, name: str = "sogo-kikaku") -> Organization:
    """An organization for one of the city's bureaus (its code is the name)."""
    unit = OrgUnit.objects.get(municipality=municipality, code=name)
    org = Organization.objects.filter(name=name).first() or services.save_organization(
        {"name": name, "title": unit.name_ja, "title_en": f"{name} bureau"}
    )
    Organization.objects.filter(pk=org.pk).update(unit=unit)
    org.refresh_from_db()
    return org


def dataset(org: Organization, name: str, title: str, **fields: Any) -> Dataset:
    return services.save_dataset(
        None,
        {"name": name, "title": title, "owner_org": org.name, "license_id": "cc-by-4.0", **fields},
    )


def csv_resource(target: Dataset, text: str, filename: str = "data.csv", **fields: Any) -> Resource:
    return services.save_resource(
        None,
        {"package_id": str(target.id), "name": filename, **fields},
        ContentFile(text.encode("utf-8"), name=filename),
    )


SHELTERS = [
    {
        "全国地方公共団体コード": "261009",
        "ID": "001",
        "地方公共団体名": "京都市",
        "名称": "京都御苑",
        "所在地_連結表記": "京都府京都市上京区京都御苑",
        "緯度": "35.0254",
        "経度": "135.7621",
        "電話番号": "075-222-3111",
        "市区町村コード": "261009",
        "災害種別_地震": "1",
        "災害種別_大規模な火事": "1",
    },
    {
        "全国地方公共団体コード": "261009",
        "ID": "002",
        "地方公共団体名": "京都市",
        "名称": "岡崎公園",
        "所在地_連結表記": "京都府京都市左京区岡崎最勝寺町",
        "緯度": "35.0133",
        "経度": "135.7822",
        "電話番号": "075-222-3111",
        "市区町村コード": "261009",
        "災害種別_地震": "1",
    },
]

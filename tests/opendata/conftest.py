"""A publisher (a staff member with an API token) and a small catalog to search."""

from typing import Any

import pytest

from madoguchi.opendata import licenses, services
from madoguchi.opendata.models import ApiToken, License, Organization
from tests import factories


@pytest.fixture
def publisher(kyoto: Any) -> Any:
    return factories.staff_user(kyoto, "opendata-publisher", "nakagyo-citizen-services")


@pytest.fixture
def token(publisher: Any) -> str:
    return ApiToken.issue(publisher, "tests")[1]


@pytest.fixture
def organization(db: None) -> Organization:
    # Transactional tests (the live server, the task worker) start from empty tables.
    licenses.seed(License)
    return services.save_organization(
        {"name": "kyoto-city", "title": "京都市 総合企画局", "title_en": "General Planning Bureau"}
    )


@pytest.fixture
def catalog(publisher: Any, organization: Organization) -> dict[str, Any]:
    """Datasets whose titles a resident would search for."""
    services.save_group({"name": "bousai", "title": "防災"})
    titles = {
        "evacuation-sites": ("指定緊急避難場所一覧", ["防災", "避難"], "CSV"),
        "shelters": ("避難所一覧", ["防災"], "CSV"),
        "aed": ("AED設置箇所一覧", ["医療"], "XLSX"),
        "nursery": ("保育所・認定こども園一覧", ["子育て"], "CSV"),
        "population": ("地域・年齢別人口", ["人口", "統計"], "PDF"),
        "toilets": ("公衆トイレ一覧", ["観光"], "CSV"),
    }
    datasets = {}
    for name, (title, tags, fmt) in titles.items():
        datasets[name] = services.save_dataset(
            publisher,
            {
                "name": name,
                "title": title,
                "owner_org": organization.name,
                "license_id": "cc-by-4.0",
                "tags": [{"name": t} for t in tags],
                "groups": [{"name": "bousai"}] if "防災" in tags else [],
                "resources": [
                    {
                        "name": f"{title}（{fmt}）",
                        "url": f"https://example.jp/{name}.{fmt.lower()}",
                        "format": fmt,
                    }
                ],
            },
        )
    return datasets

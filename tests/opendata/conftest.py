"""A publisher (a staff member of 総合企画局 with an API token), a catalog administrator, the
bureau's organization and another bureau's, and a small catalog to search."""

from typing import Any

import pytest

from madoguchi.opendata import licenses, services
from madoguchi.opendata.models import ApiToken, License, Organization
from madoguchi.organizations.models import OrgUnit
from tests import factories


@pytest.fixture
def publisher(kyoto: Any) -> Any:
    # デジタル戦略推進室, a section of 総合企画局: publishes for the bureau's organization.
    return factories.staff_user(kyoto, "opendata-publisher", "digital-strategy")


@pytest.fixture
def token(publisher: Any) -> str:
    return ApiToken.issue(publisher, "tests")[1]


@pytest.fixture
def catalog_admin(kyoto: Any) -> Any:
    return factories.catalog_admin(
        factories.staff_user(kyoto, "opendata-catalog-admin", "ward-administration")
    )


@pytest.fixture
def admin_token(catalog_admin: Any) -> str:
    return ApiToken.issue(catalog_admin, "tests")[1]


@pytest.fixture
def organization(kyoto: Any) -> Organization:
    # Transactional tests (the live server, the task worker) start from empty tables.
    licenses.seed(License)
    organization = services.save_organization(
        {"name": "kyoto-city", "title": "京都市 総合企画局", "title_en": "General Planning Bureau"}
    )
    organization.unit = OrgUnit.objects.get(municipality=kyoto, code="sogo-kikaku")
    organization.save(update_fields=["unit"])
    return organization


@pytest.fixture
def other_organization(kyoto: Any) -> Organization:
    """保健福祉局's: not the publisher's."""
    unit = OrgUnit.objects.get(municipality=kyoto, code="hoken-fukushi")
    return services.organization_for_unit(unit)


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

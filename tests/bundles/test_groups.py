"""A repeating group on a bundle's shared step: "add" and "remove" show the step again with one
item more or less and save nothing; the step is saved when sent, online and at the counter."""

import pytest
from django.test import Client

from madoguchi.bundles.models import BundleApplication
from madoguchi.demo.bundles import load_bundles
from madoguchi.procedures.models import Procedure
from tests import onestop
from tests.flows import staff_client

from .flows import birth_steps

PROCEDURES = ["child-allowance-claim", "child-medical-subsidy"]


@pytest.fixture
def bundles(kyoto):
    procedure = Procedure.objects.get(municipality=kyoto, code="child-medical-subsidy")
    onestop.add_carers_step(procedure)
    return load_bundles(kyoto)


def _carers_url(client: Client, family, start: str) -> str:
    steps = birth_steps(family)
    url = client.post(start, {"procedures": PROCEDURES})["Location"]
    while not url.rstrip("/").endswith("carers"):
        response = client.post(url, steps[url.rstrip("/").split("/")[-1]])
        assert response.status_code == 302, response.content.decode()
        url = response["Location"]
    return url


def _items(page: str) -> int:
    return page.count('name="carers__') - page.count('name="carers__count"')


def _walk_the_group(client: Client, url: str) -> None:
    one = {"carers__count": "1", "carers__0__carer_name": "山田 花子"}
    added = client.post(url, {**one, "_group": "add:carers"})
    assert added.status_code == 200  # the same step again, nothing saved
    page = added.content.decode()
    assert 'value="山田 花子"' in page  # what was typed is kept
    assert _items(page) == 2
    assert "carers" not in BundleApplication.objects.get().answers
    two = {**one, "carers__count": "2", "carers__1__carer_name": "山田 一郎"}
    removed = client.post(url, {**two, "_group": "remove:carers:0"})
    assert removed.status_code == 200
    page = removed.content.decode()
    assert _items(page) == 1
    assert 'value="山田 一郎"' in page
    assert "山田 花子" not in page
    saved = client.post(url, two)
    assert saved.status_code == 302
    assert BundleApplication.objects.get().answers["carers"] == [
        {"carer_name": "山田 花子"},
        {"carer_name": "山田 一郎"},
    ]


def test_a_resident_adds_and_removes_group_items_on_a_bundle_step(
    bundles, resident, family
) -> None:
    client = Client()
    client.force_login(resident)
    _walk_the_group(client, _carers_url(client, family, "/life-events/birth/start/"))


def test_a_clerk_adds_and_removes_group_items_at_the_counter(bundles, clerk, family) -> None:
    client = staff_client(clerk)
    start = f"/staff/counter/people/{family[0].pk}/life-events/birth/start/"
    _walk_the_group(client, _carers_url(client, family, start))

"""Harvesting another portal over real HTTP: a second Madoguchi, with its own database, runs in
a subprocess on another loopback port; this test's database harvests it with ckanapi."""

import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.core.management import call_command

from madoguchi.opendata import harvest
from madoguchi.opendata.models import Dataset, Organization
from tests.opendata.catalog_builders import dataset, organization
from tests.support import free_port

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

SEED = """
from django.core.files.base import ContentFile
from madoguchi.opendata import services
services.save_organization({"name": "kameoka-bosai", "title": "亀岡市 防災課"})
for n, title in enumerate(["指定緊急避難場所一覧", "AED設置箇所一覧", "公衆トイレ一覧"]):
    ds = services.save_dataset(None, {"name": f"remote-{n}", "title": title,
        "owner_org": "kameoka-bosai", "license_id": "cc-by-4.0", "tags": [{"name": "防災"}]})
    data = "名称,緯度,経度\\r\\n亀岡市役所,35.0125,135.5735\\r\\n".encode()
    services.save_resource(None, {"package_id": str(ds.id), "name": "data.csv"},
        ContentFile(data, name="data.csv"))
"""
CHANGE = """
from madoguchi.opendata import services, selectors
services.patch_dataset(None, selectors.dataset_by_id_or_name(None, "remote-1"),
    {"title": "AED設置箇所一覧（令和8年度）"})
services.delete_dataset(None, selectors.dataset_by_id_or_name(None, "remote-2"))
"""


class RemotePortal:
    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "madoguchi.conf.base",
            "MADOGUCHI_ENV": "test",
            "MADOGUCHI_VAR_DIR": str(tmp),
            "DATABASE_URL": f"sqlite:///{tmp / 'remote.sqlite3'}",
            "MADOGUCHI_BASE_URL": self.url,
        }
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=300,
        )

    def start(self) -> None:
        self.manage("migrate", "-v0")
        self.manage("shell", "-c", SEED)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "madoguchi.wsgi",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "1",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env={**self.env, "PYTHONPATH": str(ROOT / "src")},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/api/3/action/status_show", timeout=10).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("The second Madoguchi did not start.")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote(tmp_path_factory) -> Iterator[RemotePortal]:
    portal = RemotePortal(tmp_path_factory.mktemp("remote-portal"))
    portal.start()
    try:
        yield portal
    finally:
        portal.stop()


def test_harvest_imports_then_updates_incrementally(kyoto, remote) -> None:
    local = organization(kyoto, "sogo-kikaku")
    dataset(local, "remote-0", "京都市の同名データ")  # a name clash with the source

    first = harvest.harvest(remote.url, local)
    assert (first.created, first.updated, first.deleted, first.errors) == (3, 0, 0, [])
    harvested = Dataset.objects.filter(extras__harvest_source=remote.url)
    assert sorted(d.title for d in harvested) == [
        "AED設置箇所一覧",
        "公衆トイレ一覧",
        "指定緊急避難場所一覧",
    ]
    clash = harvested.get(extras__harvest_name="remote-0")
    assert clash.name.startswith("remote-0-")
    assert Dataset.objects.get(name="remote-0").title == "京都市の同名データ"
    resource = clash.resources.get()
    assert resource.url.startswith(f"{remote.url}/dataset/")
    assert requests.get(resource.url, timeout=5).content.decode().startswith("名称,緯度,経度")

    again = harvest.harvest(remote.url, local)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)

    remote.manage("shell", "-c", CHANGE)
    changed = harvest.harvest(remote.url, local)
    assert (changed.created, changed.updated, changed.deleted) == (0, 1, 1)
    assert harvested.get(extras__harvest_name="remote-1").title == "AED設置箇所一覧（令和8年度）"
    assert harvested.get(extras__harvest_name="remote-2").state == "deleted"
    assert Dataset.objects.filter(state="active", extras__harvest_source=remote.url).count() == 2


def test_the_command_creates_the_organization_and_reports(kyoto, remote) -> None:
    out = io.StringIO()
    call_command(
        "harvest_ckan", remote.url, "--organization", "kameoka", "--title", "亀岡市", stdout=out
    )
    assert out.getvalue().strip().startswith("created ")
    assert Organization.objects.get(name="kameoka").title_ja == "亀岡市"


def test_an_unreachable_source_is_a_clear_error(kyoto) -> None:
    with pytest.raises(harvest.HarvestError):
        harvest.harvest(f"http://127.0.0.1:{free_port()}", organization(kyoto))

"""The contract test: CKAN's own Python client, ckanapi, against Madoguchi unchanged —
RemoteCKAN and its command line (search, dump, load) over HTTP to the live server."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import ckanapi
import pytest

from madoguchi.opendata.models import Dataset, State
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)

CSV = "名称,区,収容人数\n朱雀第一小学校,中京区,500\n紫野小学校,北区,650\n".encode("cp932")


def test_remote_ckan_end_to_end(live_server: Any, admin_token: str, organization: Any) -> None:
    # A catalog administrator: creating organizations is theirs alone.
    ckan = ckanapi.RemoteCKAN(live_server.url, apikey=admin_token)
    org = ckan.action.organization_create(name="kyoto-fire", title="京都市 消防局")
    assert org["name"] == "kyoto-fire"
    dataset = ckan.action.package_create(
        name="evacuation-sites",
        title="指定緊急避難場所一覧",
        owner_org="kyoto-fire",
        license_id="pdl-1.0",
        tags=[{"name": "防災"}],
    )
    assert dataset["license_title"] == "公共データ利用規約（第1.0版）"
    resource = ckan.action.resource_create(
        package_id=dataset["id"],
        name="避難場所（CSV）",
        format="CSV",
        upload=("shelters.csv", io.BytesIO(CSV)),
    )
    assert resource["url_type"] == "upload"
    run_tasks()

    found = ckan.action.package_search(q="避難所", **{"facet.field": ["tags"]})
    assert [d["name"] for d in found["results"]] == ["evacuation-sites"]
    assert found["facets"]["tags"] == {"防災": 1}
    shown = ckan.action.package_show(id="evacuation-sites")
    assert shown["resources"][0]["datastore_active"] is True
    rows = ckan.action.datastore_search(resource_id=resource["id"], filters={"区": "北区"})
    assert rows["total"] == 1
    assert rows["records"][0]["名称"] == "紫野小学校"

    ckan.action.package_delete(id="evacuation-sites")
    with pytest.raises(ckanapi.NotFound):
        ckanapi.RemoteCKAN(live_server.url).action.package_show(id="evacuation-sites")


def test_remote_ckan_raises_ckans_exceptions(
    live_server: Any, token: str, organization: Any
) -> None:
    anonymous = ckanapi.RemoteCKAN(live_server.url)
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_create(name="x-data", owner_org=organization.name)
    with pytest.raises(ckanapi.NotAuthorized):
        ckanapi.RemoteCKAN(live_server.url, apikey="wrong").action.package_list()
    with pytest.raises(ckanapi.ValidationError) as error:
        ckanapi.RemoteCKAN(live_server.url, apikey=token).action.package_create(name="X")
    assert "name" in error.value.error_dict
    assert "owner_org" in error.value.error_dict
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.organization_show(id="nobody")


def test_a_publisher_sees_where_they_may_publish_and_is_refused_elsewhere(
    live_server: Any, token: str, organization: Any, other_organization: Any
) -> None:
    ckan = ckanapi.RemoteCKAN(live_server.url, apikey=token)
    mine = ckan.action.organization_list_for_user(permission="create_dataset")
    assert [org["name"] for org in mine] == [organization.name]
    ckan.action.package_create(name="own-data", owner_org=organization.name)
    with pytest.raises(ckanapi.NotAuthorized) as refused:
        ckan.action.package_create(name="welfare-data", owner_org=other_organization.name)
    assert refused.value.args[0]["message"] == (
        "組織「hoken-fukushi」のデータセットを作成・変更する権限がありません。"
    )
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.package_patch(id="own-data", owner_org=other_organization.name)
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.organization_create(name="kyoto-fire", title="京都市 消防局")
    assert Dataset.objects.get(name="own-data").owner_org == organization
    assert not Dataset.objects.filter(name="welfare-data").exists()


def _cli(*args: str) -> str:
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [str(bin_dir / "ckanapi"), *args], capture_output=True, env=env, timeout=120, check=True
    )
    return result.stdout.decode()


def test_command_line_search_dump_and_load(
    live_server: Any, token: str, catalog: Any, tmp_path: Path
) -> None:
    lines = _cli("search", "datasets", "q=避難所", "-r", live_server.url).splitlines()
    assert [json.loads(line)["name"] for line in lines] == ["shelters", "evacuation-sites"]

    dump = tmp_path / "datasets.jsonl"
    _cli("dump", "datasets", "--all", "-O", str(dump), "-r", live_server.url)
    dumped = [json.loads(line) for line in dump.read_text().splitlines()]
    assert sorted(d["name"] for d in dumped) == sorted(catalog)

    # Load them back changed (update) and as copies (create).
    changed = [{**d, "title": d["title"] + "（改訂）"} for d in dumped]
    copies = [
        {
            **d,
            "id": None,
            "name": "copy-" + d["name"],
            "resources": [{k: v for k, v in r.items() if k != "id"} for r in d["resources"]],
        }
        for d in dumped
    ]
    source = tmp_path / "load.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in changed + copies))
    _cli("load", "datasets", "-I", str(source), "-r", live_server.url, "-a", token)
    assert Dataset.objects.get(name="shelters").title == "避難所一覧（改訂）"
    copy = Dataset.objects.get(name="copy-shelters")
    assert copy.state == State.ACTIVE
    assert copy.resources.get().url == "https://example.jp/shelters.csv"
    assert Dataset.objects.filter(name__startswith="copy-").count() == len(catalog)

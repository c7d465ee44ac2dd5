"""CKAN's envelope, status codes and error types, as CKAN clients read them."""

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from madoguchi.opendata import conformance, services
from madoguchi.opendata.models import ApiToken, Dataset, DatasetRevision, Resource, State
from madoguchi.opendata.standards import table_text, validate_csv
from madoguchi.organizations.models import OrgUnit
from tests import factories
from tests.opendata.catalog_builders import SHELTERS


def call(client: Client, name: str, data: dict[str, Any] | None = None, token: str = "", **kw: Any):
    headers = {"Authorization": token} if token else {}
    return client.post(
        f"/api/3/action/{name}",
        json.dumps(data or {}),
        content_type="application/json",
        headers=headers,
        **kw,
    )


@pytest.mark.django_db
def test_reads_answer_on_both_paths_by_get_without_redirect(catalog: Any, client: Client) -> None:
    for path in ("/api/3/action/package_show", "/api/action/package_show"):
        response = client.get(path, {"id": "shelters"})
        assert response.status_code == 200
        body = response.json()
        assert body["success"] is True
        assert body["help"].endswith("/api/3/action/help_show?name=package_show")
        assert body["result"]["title"] == "避難所一覧"
        assert body["result"]["organization"]["name"] == "kyoto-city"
        assert body["result"]["license_id"] == "cc-by-4.0"
        assert body["result"]["num_resources"] == 1
    assert client.get("/api/3/action/package_list").json()["result"] == sorted(
        ["evacuation-sites", "shelters", "aed", "nursery", "population", "toilets"]
    )


@pytest.mark.django_db
def test_not_found_is_404_with_ckans_error_type(catalog: Any, client: Client) -> None:
    response = client.get("/api/3/action/package_show", {"id": "no-such-dataset"})
    assert response.status_code == 404
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Not Found Error"
    assert "no-such-dataset" in body["error"]["message"]


@pytest.mark.django_db
def test_writes_need_a_token(catalog: Any, client: Client, publisher: Any) -> None:
    missing = call(client, "package_patch", {"id": "shelters", "title": "x"})
    assert missing.status_code == 403
    assert missing.json()["error"]["__type"] == "Authorization Error"
    invalid = call(client, "package_patch", {"id": "shelters", "title": "x"}, token="not-a-token")
    assert invalid.status_code == 403
    assert invalid.json()["error"]["message"] == "APIトークンが無効です。"
    # A logged-in staff session is not a token: the API ignores cookies.
    client.force_login(publisher)
    assert call(client, "package_patch", {"id": "shelters", "title": "x"}).status_code == 403
    assert Dataset.objects.get(name="shelters").title == "避難所一覧"


@pytest.mark.django_db
def test_tokens_of_other_municipalities_and_revoked_tokens_are_refused(
    catalog: Any, client: Client, token: str
) -> None:
    foreign = factories.staff_user(factories.other_municipality(), "otsu-publisher", "otsu-hq")
    foreign_token = ApiToken.issue(foreign, "x")[1]
    assert call(client, "package_delete", {"id": "aed"}, token=foreign_token).status_code == 403
    ApiToken.objects.update(revoked=True)
    assert call(client, "package_delete", {"id": "aed"}, token=token).status_code == 403
    assert Dataset.objects.get(name="aed").state == State.ACTIVE


@pytest.mark.django_db
def test_validation_error_is_409_by_field(catalog: Any, client: Client, token: str) -> None:
    response = call(
        client,
        "package_create",
        {
            "name": "Bad Name",
            "owner_org": "kyoto-city",
            "license_id": "nope",
            "contact_email": "not-an-address",
            "temporal_start": "2026-13-01",
        },
        token=token,
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["__type"] == "Validation Error"
    assert set(error) >= {"name", "license_id", "contact_email", "temporal_start"}
    taken = call(
        client, "package_create", {"name": "shelters", "owner_org": "kyoto-city"}, token=token
    )
    assert taken.json()["error"]["name"] == ["このURLはすでに使われています。"]
    english = call(
        client, "package_create", {"name": "x y"}, token=token, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["error"]["owner_org"] == ["Choose an organization."]


@pytest.mark.django_db
def test_unknown_actions_and_gets_of_writes_are_bad_requests(client: Client) -> None:
    unknown = client.get("/api/3/action/no_such_action")
    assert unknown.status_code == 400
    assert unknown.json()["success"] is False
    assert client.get("/api/3/action/package_create").status_code == 400


@pytest.mark.django_db
def test_write_cycle_keeps_a_revision_per_change(catalog: Any, client: Client, token: str) -> None:
    created = call(
        client,
        "package_create",
        {
            "name": "aed-kyoto",
            "title": "AED設置箇所",
            "owner_org": "kyoto-city",
            "tags": [{"name": "医療"}],
            "frequency": "monthly",
            "temporal_start": "2026-04-01",
            "extras": [{"key": "standard", "value": "aed_locations"}],
        },
        token=token,
    ).json()["result"]
    assert created["tags"][0]["name"] == "医療"
    assert created["extras"] == [{"key": "standard", "value": "aed_locations"}]
    patched = call(
        client, "package_patch", {"id": created["id"], "notes": "市内のAED"}, token=token
    )
    assert patched.json()["result"]["notes"] == "市内のAED"
    assert patched.json()["result"]["frequency"] == "monthly"
    resource = client.post(
        "/api/action/resource_create",
        {
            "package_id": "aed-kyoto",
            "name": "一覧",
            "upload": SimpleUploadedFile("aed.pdf", b"%PDF-1.4"),
        },
        headers={"Authorization": token},
    ).json()["result"]
    assert resource["format"] == "PDF"
    assert resource["url_type"] == "upload"
    download = client.get(resource["url"].removeprefix("http://testserver"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4"
    assert (
        call(client, "resource_show", {"id": resource["id"]}).json()["result"]["download_count"]
        == 1
    )
    call(client, "package_delete", {"id": "aed-kyoto"}, token=token)
    assert client.get("/api/3/action/package_show", {"id": "aed-kyoto"}).status_code == 404
    assert client.get(resource["url"].removeprefix("http://testserver")).status_code == 404
    revisions = DatasetRevision.objects.filter(dataset_id=created["id"]).order_by("number")
    assert [r.data.get("notes") for r in revisions][:2] == ["", "市内のAED"]
    assert revisions.last().data["state"] == "deleted"


@pytest.mark.django_db
def test_search_facets_and_help(catalog: Any, client: Client) -> None:
    body = client.get(
        "/api/3/action/package_search",
        {"q": "避難所", "facet.field": '["tags","organization"]', "rows": "1"},
    ).json()["result"]
    assert body["count"] == 2
    assert [r["name"] for r in body["results"]] == ["shelters"]
    assert body["facets"]["tags"]["防災"] == 2
    assert body["search_facets"]["organization"]["items"] == [
        {"name": "kyoto-city", "display_name": "京都市 総合企画局", "count": 2}
    ]
    help_text = client.get("/api/3/action/help_show", {"name": "package_search"}).json()["result"]
    assert "避難所" in help_text
    licenses = client.get("/api/3/action/license_list").json()["result"]
    assert {"cc-by-4.0", "pdl-1.0", "odc-odbl"} <= {item["id"] for item in licenses}


@pytest.mark.django_db
def test_create_api_token_prints_a_working_token(
    catalog: Any, client: Client, publisher: Any
) -> None:
    out = io.StringIO()
    call_command("create_api_token", publisher.username, stdout=out)
    token = out.getvalue().strip()
    response = call(client, "package_patch", {"id": "toilets", "title": "公衆トイレ"}, token=token)
    assert response.json()["result"]["title"] == "公衆トイレ"
    assert not ApiToken.objects.filter(key_hash=token).exists()


@pytest.mark.django_db
def test_an_organization_for_a_city_section(kyoto: Any) -> None:
    unit = OrgUnit.objects.get(municipality=kyoto, code="nakagyo-citizen-services")
    organization = services.organization_for_unit(unit)
    assert organization.unit == unit
    assert organization.title_ja == str(unit)
    assert services.organization_for_unit(unit) == organization


# ---------------------------------------------------------------------------------------------
# Who may write where: the publisher (総合企画局 デジタル戦略推進室) for 総合企画局 only


def refused(response: Any) -> str:
    """The Authorization Error's message, after checking CKAN's envelope."""
    assert response.status_code == 403
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Authorization Error"
    return body["error"]["message"]


@pytest.mark.django_db
def test_a_publisher_writes_for_their_bureau_and_not_for_another(
    catalog: Any, other_organization: Any, client: Client, token: str
) -> None:
    mine = call(
        client,
        "package_create",
        {"name": "own-data", "title": "総合企画局のデータ", "owner_org": "kyoto-city"},
        token=token,
    )
    assert mine.status_code == 200
    message = refused(
        call(
            client,
            "package_create",
            {"name": "welfare-data", "owner_org": other_organization.name},
            token=token,
        )
    )
    assert message == "組織「hoken-fukushi」のデータセットを作成・変更する権限がありません。"
    assert not Dataset.objects.filter(name="welfare-data").exists()

    theirs = services.save_dataset(
        None, {"name": "care-homes", "title": "介護施設一覧", "owner_org": other_organization.name}
    )
    resource = services.save_resource(
        None, {"package_id": theirs.name, "url": "https://example.jp/care.csv"}
    )
    attempts = [
        ("package_update", {"id": "care-homes", "title": "x", "owner_org": "hoken-fukushi"}),
        ("package_patch", {"id": "care-homes", "title": "x"}),
        ("package_delete", {"id": "care-homes"}),
        ("resource_create", {"package_id": "care-homes", "url": "https://example.jp/x.csv"}),
        ("resource_update", {"id": str(resource.id), "url": "https://example.jp/x.csv"}),
        ("resource_patch", {"id": str(resource.id), "name": "x"}),
        ("resource_delete", {"id": str(resource.id)}),
        # Taking it over into one's own organization is a change of theirs too.
        ("package_patch", {"id": "care-homes", "owner_org": "kyoto-city"}),
    ]
    for name, data in attempts:
        refused(call(client, name, data, token=token))
    theirs.refresh_from_db()
    assert (theirs.title, theirs.state, theirs.owner_org) == (
        "介護施設一覧",
        State.ACTIVE,
        other_organization,
    )
    assert [r.url for r in theirs.resources.all()] == ["https://example.jp/care.csv"]
    assert theirs.revisions.count() == 2  # created, then its file: nothing of the publisher's


@pytest.mark.django_db
def test_moving_a_dataset_needs_rights_on_both_organizations(
    catalog: Any, other_organization: Any, client: Client, token: str, admin_token: str
) -> None:
    for name, data in [
        ("package_patch", {"id": "shelters", "owner_org": other_organization.name}),
        ("package_update", {"id": "shelters", "title": "避難所", "owner_org": "hoken-fukushi"}),
    ]:
        assert "hoken-fukushi" in refused(call(client, name, data, token=token))
    assert Dataset.objects.get(name="shelters").owner_org.name == "kyoto-city"
    moved = call(
        client, "package_patch", {"id": "shelters", "owner_org": "hoken-fukushi"}, token=admin_token
    )
    assert moved.json()["result"]["organization"]["name"] == "hoken-fukushi"
    assert "hoken-fukushi" in refused(
        call(client, "package_patch", {"id": "shelters", "title": "x"}, token=token)
    )


@pytest.mark.django_db
def test_only_catalog_admins_create_and_update_organizations_and_groups(
    catalog: Any, client: Client, token: str, admin_token: str
) -> None:
    attempts = [
        ("organization_create", {"name": "kyoto-fire", "title": "消防局"}),
        ("organization_update", {"id": "kyoto-city", "name": "kyoto-city", "title": "総合企画"}),
        ("group_create", {"name": "kosodate", "title": "子育て"}),
        ("group_update", {"id": "bousai", "name": "bousai", "title": "防災（改）"}),
    ]
    for name, data in attempts:
        message = refused(call(client, name, data, token=token))
        assert message == (
            "組織「kyoto-city」を変更し、メンバーを管理できるのは、その組織の管理者とカタログ管理者だけです。"
            if name == "organization_update"
            else "組織の作成と、グループの作成・変更ができるのはカタログ管理者だけです。"
        )
    english = call(client, *attempts[0], token=token, HTTP_ACCEPT_LANGUAGE="en")
    assert refused(english) == (
        "Only catalog administrators can create organizations and create and change groups."
    )
    assert call(client, "organization_show", {"id": "kyoto-fire"}).status_code == 404
    for name, data in attempts:
        assert call(client, name, data, token=admin_token).json()["success"] is True
    fire = call(client, "organization_show", {"id": "kyoto-fire"}).json()["result"]
    assert fire["title"] == "消防局"
    assert call(client, "group_show", {"id": "bousai"}).json()["result"]["title"] == "防災（改）"


@pytest.mark.django_db
def test_a_catalog_admin_writes_every_organizations_datasets(
    catalog: Any, other_organization: Any, client: Client, admin_token: str
) -> None:
    created = call(
        client,
        "package_create",
        {"name": "care-homes", "title": "介護施設一覧", "owner_org": "hoken-fukushi"},
        token=admin_token,
    )
    assert created.json()["result"]["organization"]["name"] == "hoken-fukushi"
    patched = call(client, "package_patch", {"id": "aed", "notes": "更新"}, token=admin_token)
    assert patched.json()["result"]["notes"] == "更新"
    assert (
        call(client, "package_delete", {"id": "care-homes"}, token=admin_token).status_code == 200
    )


def _names(client: Client, token: str = "", **data: Any) -> list[str]:
    response = call(client, "organization_list_for_user", data, token=token)
    return [org["name"] for org in response.json()["result"]]


@pytest.mark.django_db
def test_organization_list_for_user_names_where_one_may_publish(
    catalog: Any, other_organization: Any, client: Client, token: str, admin_token: str
) -> None:
    assert _names(client, token, permission="create_dataset") == ["kyoto-city"]
    assert _names(client, token, permission="update_dataset") == ["kyoto-city"]
    # manage_group (CKAN's default) is the organization admin's: the catalog admins' here.
    assert _names(client, token) == []
    assert _names(client) == []
    counted = call(
        client,
        "organization_list_for_user",
        {"permission": "create_dataset", "include_dataset_count": True},
        token=token,
    ).json()["result"]
    assert counted[0]["package_count"] == len(catalog)
    assert counted[0]["capacity"] == "editor"
    everything = call(client, "organization_list_for_user", {}, token=admin_token).json()
    assert [(o["name"], o["capacity"]) for o in everything["result"]] == [
        ("hoken-fukushi", "admin"),
        ("kyoto-city", "admin"),
    ]
    # Another user's list is the catalog admins' to ask for.
    assert _names(client, admin_token, id="opendata-publisher", permission="create_dataset") == [
        "kyoto-city"
    ]
    refused(
        call(client, "organization_list_for_user", {"id": "opendata-catalog-admin"}, token=token)
    )


@pytest.mark.django_db
def test_a_ward_section_publishes_for_itself_and_its_ward_office_only(
    kyoto: Any, client: Client
) -> None:
    clerk = factories.staff_user(kyoto, "nakagyo-publisher", "nakagyo-citizen-services")
    for code in [
        "nakagyo",
        "nakagyo-citizen-services",
        "nakagyo-insurance-pension",
        "kita",
        "kita-citizen-services",
    ]:
        services.organization_for_unit(OrgUnit.objects.get(municipality=kyoto, code=code))
    token = ApiToken.issue(clerk, "tests")[1]
    assert _names(client, token, permission="create_dataset") == [
        "nakagyo",
        "nakagyo-citizen-services",
    ]


@pytest.mark.django_db
def test_the_catalog_admin_command_grants_and_revokes(
    catalog: Any, other_organization: Any, client: Client, publisher: Any, token: str
) -> None:
    out = io.StringIO()
    call_command("catalog_admin", publisher.username, stdout=out)
    assert out.getvalue().strip() == "opendata-publisher is a catalog administrator."
    assert _names(client, token) == ["hoken-fukushi", "kyoto-city"]
    call_command("catalog_admin", publisher.username, "--revoke", stdout=out)
    assert _names(client, token) == []
    assert _names(client, token, permission="create_dataset") == ["kyoto-city"]


@pytest.mark.django_db
def test_search_results_are_what_package_show_shows_after_every_kind_of_change(
    catalog: Any, client: Client, token: str, admin_token: str
) -> None:
    """Search results are served from each dataset's stored package dict: renamed organizations
    and groups, uploads, downloads and standard marks show there as in package_show."""
    resource = client.post(
        "/api/action/resource_create",
        {"package_id": "shelters", "name": "一覧", "upload": SimpleUploadedFile("s.pdf", b"%PDF")},
        headers={"Authorization": token},
    ).json()["result"]
    client.get(resource["url"].removeprefix("http://testserver"))
    organization = {"id": "kyoto-city", "name": "kyoto-city", "title": "京都市 防災危機管理室"}
    assert call(client, "organization_update", organization, token=admin_token).json()["success"]
    group = {"id": "bousai", "name": "bousai", "title": "防災・危機管理"}
    assert call(client, "group_update", group, token=admin_token).json()["success"]
    linked = catalog["shelters"].resources.get(url__endswith=".csv")
    conformance.record(None, linked, validate_csv("名称\n".encode(), "evacuation_sites"))

    def shown_and_found(host: str) -> tuple[dict[str, Any], dict[str, Any]]:
        shown = client.get("/api/3/action/package_show", {"id": "shelters"}, HTTP_HOST=host)
        found = client.get(
            "/api/3/action/package_search", {"q": "避難所一覧", "rows": "1"}, HTTP_HOST=host
        )
        return shown.json()["result"], found.json()["result"]["results"][0]

    shown, found = shown_and_found("127.0.0.1")
    assert found == shown
    assert found["organization"]["title"] == "京都市 防災危機管理室"
    assert found["groups"][0]["title"] == "防災・危機管理"
    uploaded = next(r for r in found["resources"] if r["id"] == resource["id"])
    assert uploaded["download_count"] == 1
    assert uploaded["url"].startswith("http://127.0.0.1/")
    checked = next(r for r in found["resources"] if r["id"] == str(linked.pk))
    assert checked["standard_conforms"] is False
    # The address follows the host the client called, as package_show's does.
    assert (
        shown_and_found("localhost")[1]["resources"] == shown_and_found("localhost")[0]["resources"]
    )


@pytest.mark.django_db
def test_patching_or_updating_a_shown_dataset_keeps_its_english(
    organization: Any, client: Client, token: str
) -> None:
    created = {
        "name": "shelters-en",
        "title": "避難所一覧",
        "title_en": "Shelters",
        "notes": "市内の避難所",
        "notes_en": "Shelters in the city",
        "owner_org": "kyoto-city",
    }
    assert call(client, "package_create", created, token=token).status_code == 200
    call(client, "package_patch", {"id": "shelters-en", "notes": "市内の指定避難所"}, token=token)
    # What ckanapi's clients do: show, change one field, send the whole dict back.
    shown = call(client, "package_show", {"id": "shelters-en"}).json()["result"]
    call(client, "package_update", {**shown, "title": "指定避難所一覧"}, token=token)
    english = client.get("/en/opendata/dataset/shelters-en/").content.decode()
    assert "<h1>Shelters</h1>" in english
    assert "Shelters in the city" in english
    result = call(client, "package_show", {"id": "shelters-en"}).json()["result"]
    assert result["title_translated"] == {"ja": "指定避難所一覧", "en": "Shelters"}
    assert result["notes_translated"] == {"ja": "市内の指定避難所", "en": "Shelters in the city"}


@pytest.mark.django_db
def test_a_new_file_or_a_removed_one_takes_the_standard_mark_away(
    organization: Any, client: Client, token: str
) -> None:
    """A mark says a file was checked; a replaced file was not, so neither it nor its dataset
    may keep claiming conformance."""
    call(client, "package_create", {"name": "toilets", "owner_org": "kyoto-city"}, token=token)
    good = table_text("evacuation_sites", SHELTERS).encode()
    resource = client.post(
        "/api/3/action/resource_create",
        {"package_id": "toilets", "upload": SimpleUploadedFile("s.csv", good)},
        headers={"Authorization": token},
    ).json()["result"]
    checked = Resource.objects.get(pk=resource["id"])
    conformance.record(None, checked, validate_csv(good, "evacuation_sites"))
    marked = "自治体標準オープンデータセット「指定緊急避難場所一覧」準拠"
    assert marked in client.get("/opendata/dataset/toilets/").content.decode()

    replaced = client.post(
        "/api/3/action/resource_patch",
        {"id": resource["id"], "upload": SimpleUploadedFile("s.csv", b"a,b\r\n1,2\r\n")},
        headers={"Authorization": token},
    ).json()["result"]
    assert "standard_conforms" not in replaced
    page = client.get("/opendata/dataset/toilets/").content.decode()
    assert marked not in page
    assert "ファイル「s.csv」の自治体標準オープンデータセットの確認を取り消し" in page
    assert "standard" not in Dataset.objects.get(name="toilets").extras

    client.post(
        "/api/3/action/resource_patch",
        {"id": resource["id"], "upload": SimpleUploadedFile("s.csv", good)},
        headers={"Authorization": token},
    )
    again = Resource.objects.get(pk=resource["id"])
    conformance.record(None, again, conformance.check(again, "evacuation_sites"))
    assert Dataset.objects.get(name="toilets").extras["standard_conforms"] is True
    call(client, "resource_delete", {"id": resource["id"]}, token=token)
    assert "standard" not in Dataset.objects.get(name="toilets").extras

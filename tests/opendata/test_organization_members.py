"""Explicit members of organizations through the CKAN API, as a city's data lead would use
them with ckanapi: organization_member_create/delete, member_list, member_roles_list, and the
rights each role gives (an editor publishes, an admin manages members, a member only reads)."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.audit.models import AuditEntry
from madoguchi.opendata import services
from madoguchi.opendata.models import ApiToken, Dataset, Organization, OrganizationMember
from tests import factories
from tests.opendata.test_action_api import call, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(kyoto: Any) -> Any:
    """A clerk of 中京区役所 市民窓口課: by the organization chart not a publisher of
    総合企画局 (kyoto-city) nor of 保健福祉局."""
    return factories.staff_user(kyoto, "nakagyo-data-lead", "nakagyo-citizen-services")


@pytest.fixture
def outsider_token(outsider: Any) -> str:
    return ApiToken.issue(outsider, "tests")[1]


def _token(kyoto: Any, username: str, section: str = "nakagyo-citizen-services") -> tuple[Any, str]:
    user = factories.staff_user(kyoto, username, section)
    return user, ApiToken.issue(user, "tests")[1]


def _add(client: Client, token: str, org: str, username: str, role: str) -> Any:
    return call(
        client,
        "organization_member_create",
        {"id": org, "username": username, "role": role},
        token=token,
    )


def _new_dataset(name: str, org: str) -> dict[str, Any]:
    return {"name": name, "title": name, "owner_org": org, "license_id": "cc-by-4.0"}


def _org_names(client: Client, token: str, permission: str) -> list[tuple[str, str]]:
    result = call(client, "organization_list_for_user", {"permission": permission}, token=token)
    return [(o["name"], o["capacity"]) for o in result.json()["result"]]


def test_an_explicit_editor_from_another_bureau_publishes_for_that_organization_only(
    catalog: Any,
    other_organization: Organization,
    client: Client,
    admin_token: str,
    outsider: Any,
    outsider_token: str,
) -> None:
    before = call(client, "package_create", _new_dataset("bus-stops", "kyoto-city"), outsider_token)
    assert "kyoto-city" in refused(before)

    added = _add(client, admin_token, "kyoto-city", "nakagyo-data-lead", "editor")
    assert added.status_code == 200
    assert added.json()["result"]["capacity"] == "editor"

    created = call(
        client, "package_create", _new_dataset("bus-stops", "kyoto-city"), outsider_token
    )
    assert created.json()["result"]["organization"]["name"] == "kyoto-city"
    patched = call(client, "package_patch", {"id": "shelters", "notes": "更新"}, outsider_token)
    assert patched.json()["result"]["notes"] == "更新"
    elsewhere = call(
        client,
        "package_create",
        _new_dataset("care-homes", other_organization.name),
        outsider_token,
    )
    assert other_organization.name in refused(elsewhere)
    moved = call(
        client,
        "package_patch",
        {"id": "bus-stops", "owner_org": other_organization.name},
        outsider_token,
    )
    refused(moved)
    assert not Dataset.objects.filter(name="care-homes").exists()
    assert Dataset.objects.get(name="bus-stops").owner_org.name == "kyoto-city"

    assert _org_names(client, outsider_token, "create_dataset") == [("kyoto-city", "editor")]
    # An editor manages no members and updates no organization.
    assert _org_names(client, outsider_token, "manage_group") == []
    refused(_add(client, outsider_token, "kyoto-city", "opendata-publisher", "admin"))
    update = {"id": "kyoto-city", "name": "kyoto-city", "title": "書き換え"}
    refused(call(client, "organization_update", update, outsider_token))


def test_an_organization_admin_adds_and_removes_an_editor_but_creates_no_organization(
    catalog: Any,
    other_organization: Organization,
    client: Client,
    admin_token: str,
    kyoto: Any,
    outsider: Any,
    outsider_token: str,
) -> None:
    _add(client, admin_token, "kyoto-city", "nakagyo-data-lead", "admin")
    colleague, colleague_token = _token(kyoto, "nakagyo-colleague")
    assert _org_names(client, outsider_token, "manage_group") == [("kyoto-city", "admin")]

    added = _add(client, outsider_token, "kyoto-city", "nakagyo-colleague", "editor").json()
    membership = OrganizationMember.objects.get(user=colleague)
    assert added["result"] == {
        "id": str(membership.id),
        "group_id": str(catalog["shelters"].owner_org_id),
        "table_id": str(colleague.pk),
        "table_name": "user",
        "capacity": "editor",
        "state": "active",
    }
    dataset = _new_dataset("bus-stops", "kyoto-city")
    assert call(client, "package_create", dataset, colleague_token).json()["success"] is True

    removed = call(
        client,
        "organization_member_delete",
        {"id": "kyoto-city", "username": "nakagyo-colleague"},
        token=outsider_token,
    )
    assert removed.status_code == 200
    assert removed.json()["result"] is None
    refused(call(client, "package_patch", {"id": "bus-stops", "notes": "x"}, colleague_token))

    # Both changes are in the audit log, by the organization admin, naming the user.
    entries = AuditEntry.objects.filter(target_id=str(catalog["shelters"].owner_org_id))
    assert [(e.action, e.actor_id, e.detail) for e in entries.order_by("sequence")][-2:] == [
        (
            "organization_member_create",
            outsider.pk,
            {"user": colleague.pk, "capacity": "editor", "previous": None},
        ),
        ("organization_member_delete", outsider.pk, {"user": colleague.pk, "previous": "editor"}),
    ]

    # The admin updates their organization, but creates none and touches no other.
    update = {"id": "kyoto-city", "name": "kyoto-city", "title": "総合企画局（オープンデータ）"}
    assert call(client, "organization_update", update, outsider_token).json()["success"] is True
    shown = call(client, "organization_show", {"id": "kyoto-city"}).json()["result"]
    assert shown["title"] == "総合企画局（オープンデータ）"
    create = {"name": "kyoto-fire", "title": "消防局"}
    assert refused(call(client, "organization_create", create, outsider_token)) == (
        "組織の作成と、グループの作成・変更ができるのはカタログ管理者だけです。"
    )
    other = {"id": other_organization.name, "name": other_organization.name, "title": "x"}
    refused(call(client, "organization_update", other, outsider_token))
    refused(_add(client, outsider_token, other_organization.name, "nakagyo-colleague", "editor"))
    assert not OrganizationMember.objects.filter(organization=other_organization).exists()


def test_a_plain_member_reads_a_private_dataset_but_cannot_update_it(
    catalog: Any, client: Client, admin_token: str, token: str, outsider_token: str
) -> None:
    private = _new_dataset("staff-directory", "kyoto-city") | {"private": True}
    assert call(client, "package_create", private, token).json()["result"]["private"] is True
    _add(client, admin_token, "kyoto-city", "nakagyo-data-lead", "member")

    shown = call(client, "package_show", {"id": "staff-directory"}, outsider_token)
    assert shown.json()["result"]["private"] is True
    assert call(client, "package_show", {"id": "staff-directory"}).status_code == 404
    patch = {"id": "staff-directory", "title": "書き換え"}
    assert "kyoto-city" in refused(call(client, "package_patch", patch, outsider_token))
    refused(call(client, "package_delete", {"id": "staff-directory"}, outsider_token))
    assert Dataset.objects.get(name="staff-directory").title == "staff-directory"
    assert _org_names(client, outsider_token, "read") == [("kyoto-city", "member")]
    assert _org_names(client, outsider_token, "create_dataset") == []


def test_a_changed_role_keeps_one_membership_and_logs_what_it_was(
    catalog: Any, client: Client, admin_token: str, outsider: Any, outsider_token: str
) -> None:
    _add(client, admin_token, "kyoto-city", "nakagyo-data-lead", "member")
    assert _org_names(client, outsider_token, "create_dataset") == []
    changed = _add(client, admin_token, "kyoto-city", str(outsider.pk), "editor")
    assert changed.json()["result"]["capacity"] == "editor"
    assert OrganizationMember.objects.filter(user=outsider).count() == 1
    assert _org_names(client, outsider_token, "create_dataset") == [("kyoto-city", "editor")]
    last = AuditEntry.objects.order_by("-sequence").first()
    assert last.detail == {"user": outsider.pk, "capacity": "editor", "previous": "member"}
    # The same role again changes nothing and logs nothing.
    _add(client, admin_token, "kyoto-city", "nakagyo-data-lead", "editor")
    assert AuditEntry.objects.order_by("-sequence").first() == last


def test_errors_for_unknown_organizations_and_users_and_bad_roles(
    catalog: Any, client: Client, admin_token: str, outsider: Any, resident: Any
) -> None:
    unknown_org = _add(client, admin_token, "no-such-org", "nakagyo-data-lead", "editor")
    assert unknown_org.status_code == 404
    assert unknown_org.json()["error"]["__type"] == "Not Found Error"
    assert "no-such-org" in unknown_org.json()["error"]["message"]
    for name in ("organization_member_delete", "member_list"):
        response = call(client, name, {"id": "no-such-org", "username": "x"}, admin_token)
        assert response.status_code == 404

    foreign = factories.staff_user(factories.other_municipality(), "otsu-clerk", "otsu-hq")
    for username in ("nobody", resident.username, foreign.username):
        response = _add(client, admin_token, "kyoto-city", username, "editor")
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["__type"] == "Validation Error"
        assert error["username"] == [f"この市の職員「{username}」は見つかりません。"]

    bad_role = _add(client, admin_token, "kyoto-city", "nakagyo-data-lead", "owner")
    assert bad_role.status_code == 409
    assert bad_role.json()["error"]["role"] == ["役割は次のいずれかです: admin, editor, member"]
    english = call(
        client,
        "organization_member_create",
        {"id": "kyoto-city", "username": "nobody", "role": "owner"},
        admin_token,
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()["error"]
    assert english["username"] == ["There is no staff member “nobody” of this city."]
    assert english["role"] == ["The role is one of: admin, editor, member"]
    missing = call(client, "organization_member_create", {"username": "x"}, admin_token)
    assert missing.status_code == 409
    assert "id" in missing.json()["error"]

    gone = call(
        client,
        "organization_member_delete",
        {"id": "kyoto-city", "username": "nobody"},
        admin_token,
    )
    assert gone.status_code == 404
    assert gone.json()["error"]["__type"] == "Not Found Error"
    # Removing a staff member who is not a member changes nothing, as in CKAN.
    not_member = {"id": "kyoto-city", "username": "nakagyo-data-lead"}
    assert call(client, "organization_member_delete", not_member, admin_token).status_code == 200
    assert not AuditEntry.objects.filter(action="organization_member_delete").exists()

    # Without a token: CKAN's Authorization Error, for writes and for the list of members.
    refused(_add(client, "", "kyoto-city", "nakagyo-data-lead", "editor"))
    refused(call(client, "member_list", {"id": "kyoto-city"}))
    assert not OrganizationMember.objects.exists()


def test_member_list_and_member_roles_list_have_ckans_shapes(
    catalog: Any, client: Client, admin_token: str, token: str, kyoto: Any, outsider: Any
) -> None:
    org = catalog["shelters"].owner_org
    editor = factories.staff_user(kyoto, "nakagyo-editor", "nakagyo-citizen-services")
    services.set_member(None, org, "nakagyo-data-lead", "admin")
    services.set_member(None, org, "nakagyo-editor", "editor")

    def members(language: str = "ja", **data: Any) -> list[Any]:
        response = call(
            client,
            "member_list",
            {"id": "kyoto-city", **data},
            token,
            HTTP_ACCEPT_LANGUAGE=language,
        )
        return response.json()["result"]

    assert members(object_type="user") == [
        [str(outsider.pk), "user", "管理者"],
        [str(editor.pk), "user", "編集者"],
    ]
    assert members("en", object_type="user", capacity="editor") == [
        [str(editor.pk), "user", "Editor"]
    ]
    packages = members(object_type="package")
    assert sorted(packages) == sorted(
        [str(d.id), "package", "organization"] for d in catalog.values()
    )
    assert len(members()) == 2 + len(catalog)

    roles = call(client, "member_roles_list", HTTP_ACCEPT_LANGUAGE="en").json()["result"]
    assert roles == [
        {"text": "Admin", "value": "admin"},
        {"text": "Editor", "value": "editor"},
        {"text": "Member", "value": "member"},
    ]
    for_groups = call(client, "member_roles_list", {"group_type": "group"}).json()["result"]
    assert [r["value"] for r in for_groups] == ["admin", "member"]
    for name in ("member_list", "organization_member_create", "organization_member_delete"):
        help_text = client.get("/api/3/action/help_show", {"name": name}).json()["result"]
        assert ":param id:" in help_text


def test_a_private_dataset_is_read_only_by_its_organizations_people(
    catalog: Any,
    client: Client,
    token: str,
    admin_token: str,
    outsider: Any,
    outsider_token: str,
) -> None:
    """Data not yet published (statistics before their release, say) is read by those who
    publish for its organization, its members and the catalog administrators: other staff of
    the city see it as the public does."""
    draft = _new_dataset("draft-census", "kyoto-city") | {"private": True, "title": "速報人口"}
    assert call(client, "package_create", draft, token).status_code == 200
    upload = client.post(
        "/api/3/action/resource_create",
        {"package_id": "draft-census", "upload": SimpleUploadedFile("p.csv", b"a\r\n1\r\n")},
        headers={"Authorization": token},
    ).json()["result"]
    download = upload["url"].removeprefix("http://testserver")

    def reads(who: str) -> list[bool]:
        shown = call(client, "package_show", {"id": "draft-census"}, who).status_code == 200
        search = call(client, "package_search", {"q": "速報", "include_private": True}, who)
        listed = call(client, "package_list", {"include_private": True}, who).json()["result"]
        file = client.get(download, headers={"Authorization": who}).status_code == 200
        found = search.json()["result"]["count"] == 1
        return [shown, found, "draft-census" in listed, file]

    assert reads(token) == [True] * 4
    assert reads(admin_token) == [True] * 4
    assert reads(outsider_token) == [False] * 4
    staff = Client()
    staff.force_login(outsider)
    assert "速報人口" not in staff.get("/staff/opendata/").content.decode()
    assert staff.get("/staff/opendata/draft-census/").status_code == 404

    _add(client, admin_token, "kyoto-city", "nakagyo-data-lead", "member")
    assert reads(outsider_token) == [True] * 4
    assert "速報人口" in staff.get("/staff/opendata/").content.decode()

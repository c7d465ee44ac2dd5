"""The staff page of an organization's members: catalog administrators and the organization's
admins list, add and remove members with plain forms (no JavaScript); everyone else is refused;
every change is in the audit log."""

from typing import Any

import pytest
from django.test import Client

from madoguchi.audit.models import AuditEntry
from madoguchi.opendata import services
from madoguchi.opendata.models import OrganizationMember
from tests import factories
from tests.opendata.catalog_builders import dataset, organization

pytestmark = pytest.mark.django_db

PAGE = "/staff/opendata/organization/sogo-kikaku/members/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def org_admin(kyoto: Any) -> Any:
    """A clerk of 中京区役所 made an admin of 総合企画局's organization."""
    user = factories.staff_user(kyoto, "nakagyo-data-lead", "nakagyo-citizen-services")
    services.set_member(None, organization(kyoto), user.username, "admin")
    return user


@pytest.fixture
def colleague(kyoto: Any) -> Any:
    return factories.staff_user(kyoto, "nakagyo-colleague", "nakagyo-citizen-services")


def test_an_organization_admin_adds_and_removes_an_editor(
    kyoto: Any, org_admin: Any, colleague: Any
) -> None:
    client = _client(org_admin)
    page = client.get(PAGE).content.decode()
    assert "「総合企画局」のメンバー" in page
    assert "nakagyo-data-lead" in page
    assert "「総合企画局」とその下の課の職員は、ここに載っていなくても" in page

    added = client.post(PAGE, {"username": "nakagyo-colleague", "role": "editor"}, follow=True)
    assert added.redirect_chain == [(PAGE, 302)]
    shown = added.content.decode()
    assert "「nakagyo-colleague」を編集者にしました。" in shown
    assert "<td>nakagyo-colleague</td>" in shown
    # The new editor can now open the form for 総合企画局's dataset.
    dataset(organization(kyoto), "shelters", "指定緊急避難場所一覧")
    assert _client(colleague).get("/staff/opendata/shelters/edit/").status_code == 200

    removed = client.post(f"{PAGE}remove/", {"username": "nakagyo-colleague"}, follow=True)
    assert "「nakagyo-colleague」をメンバーから外しました。" in removed.content.decode()
    assert "<td>nakagyo-colleague</td>" not in removed.content.decode()
    assert _client(colleague).get("/staff/opendata/shelters/edit/").status_code == 403
    again = client.post(f"{PAGE}remove/", {"username": "nakagyo-colleague"}, follow=True)
    assert "「nakagyo-colleague」はこの組織のメンバーではありません。" in again.content.decode()

    entries = AuditEntry.objects.filter(actor=org_admin).order_by("sequence")
    assert [(e.action, e.target_type, e.detail) for e in entries] == [
        (
            "organization_member_create",
            "opendata.organization",
            {"user": colleague.pk, "capacity": "editor", "previous": None},
        ),
        (
            "organization_member_delete",
            "opendata.organization",
            {"user": colleague.pk, "previous": "editor"},
        ),
    ]


def test_an_unknown_username_is_reported_on_the_form(kyoto: Any, org_admin: Any) -> None:
    client = _client(org_admin)
    page = client.post(PAGE, {"username": "nobody", "role": "editor"})
    assert page.status_code == 200
    assert "この市の職員「nobody」は見つかりません。" in page.content.decode()
    empty = client.post(PAGE, {"username": "", "role": "owner"}).content.decode()
    assert "ユーザー名を入力してください。" in empty
    assert "役割を一覧から選んでください。" in empty
    english = client.post(f"/en{PAGE}", {"username": "nobody", "role": "editor"})
    assert "There is no staff member “nobody” of this city." in english.content.decode()
    assert OrganizationMember.objects.count() == 1


def test_a_catalog_admin_manages_members_and_finds_the_page(kyoto: Any, colleague: Any) -> None:
    org = organization(kyoto)
    dataset(org, "shelters", "指定緊急避難場所一覧")
    admin = factories.catalog_admin(
        factories.staff_user(kyoto, "catalog-admin", "ward-administration")
    )
    client = _client(admin)
    listing = client.get("/staff/opendata/").content.decode()
    assert f'href="{PAGE}"' in listing
    # Once, in the page: not also in its <title>.
    assert listing.count(f'href="{PAGE}"') == 1
    assert "<title>オープンデータの管理" in listing
    assert f'href="{PAGE}"' in client.get("/staff/opendata/shelters/").content.decode()
    client.post(PAGE, {"username": "nakagyo-colleague", "role": "member"})
    client.post(PAGE, {"username": str(colleague.pk), "role": "admin"})
    member = OrganizationMember.objects.get()
    assert (member.user, member.capacity) == (colleague, "admin")
    english = client.get(f"/en{PAGE}").content.decode()
    assert "Members of “sogo-kikaku bureau”" in english
    assert "<td>Admin</td>" in english
    assert "Add a member" in english


def test_other_staff_are_refused_and_other_cities_get_404(
    kyoto: Any, org_admin: Any, colleague: Any
) -> None:
    # A publisher of 総合企画局 by the chart: writes its datasets, but manages no members.
    publisher = factories.staff_user(kyoto, "sogo-kikaku-publisher", "digital-strategy")
    dataset(organization(kyoto), "shelters", "指定緊急避難場所一覧")
    client = _client(publisher)
    assert PAGE not in client.get("/staff/opendata/shelters/").content.decode()
    assert "メンバーを管理できる組織" not in client.get("/staff/opendata/").content.decode()
    for response in [
        client.get(PAGE),
        client.post(PAGE, {"username": "nakagyo-colleague", "role": "admin"}),
        client.post(f"{PAGE}remove/", {"username": "nakagyo-data-lead"}),
    ]:
        assert response.status_code == 403
        assert (
            "「総合企画局」のメンバーを管理できるのは、その組織の管理者とカタログ管理者だけです。"
            in response.content.decode()
        )
    assert list(OrganizationMember.objects.values_list("user__username", flat=True)) == [
        "nakagyo-data-lead"
    ]
    # The admin of 総合企画局 manages no other organization's members.
    organization(kyoto, "hoken-fukushi")
    other = "/staff/opendata/organization/hoken-fukushi/members/"
    assert _client(org_admin).get(other).status_code == 403
    foreign = factories.staff_user(factories.other_municipality(), "otsu-clerk", "otsu-hq")
    assert _client(foreign).get(PAGE).status_code == 404
    assert (
        _client(org_admin).get("/staff/opendata/organization/nothing/members/").status_code == 404
    )

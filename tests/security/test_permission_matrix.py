"""The permission matrix: every URL name of the site and its API (found by walking the URL
resolver) × every role, against the expectations in permission_table.py."""

import fnmatch
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from madoguchi.accounts.models import StaffMembership, User
from madoguchi.attachments.models import Attachment
from madoguchi.cases import services as case_services
from madoguchi.cases.models import Case
from madoguchi.notifications.models import Message
from madoguchi.payments.models import Payment
from madoguchi.submissions import services as submission_services
from madoguchi.submissions.models import Submission
from tests import factories, flows

from .permission_table import (
    ADMIN,
    ANONYMOUS,
    APPROVER,
    CLERK,
    FOREIGN_STAFF,
    OTHER_CLERK,
    RESIDENT_A,
    RESIDENT_B,
    ROLES,
    ROWS,
    Row,
)

LOGIN_PATHS = (
    "/accounts/login/",
    "/accounts/staff/login/",
    "/accounts/staff/code/",
    "/admin/login/",
)
DENIED_STATUSES = {400, 401, 403, 404}


def url_names() -> dict[str, str]:
    """Every named URL pattern: name → route, namespaces included."""
    found: dict[str, str] = {}

    def walk(patterns: list, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[f"{namespace}{pattern.name}"] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "", "")
    return found


def rows_for(name: str) -> list[Row]:
    exact = [row for row in ROWS if row.name == name]
    return exact or [row for row in ROWS if "*" in row.name and fnmatch.fnmatch(name, row.name)]


def test_every_url_has_a_row() -> None:
    names = url_names()
    missing = sorted(name for name in names if not rows_for(name))
    assert missing == [], f"Add these URL names to tests/security/permission_table.py: {missing}"
    stale = sorted({r.name for r in ROWS if "*" not in r.name and r.name not in names})
    assert stale == [], f"Rows for URL names that no longer exist: {stale}"


@dataclass
class World:
    users: dict[str, User | None]
    case: Case
    reference: str
    draft: Submission
    document: Any
    message: Message
    payment: Payment
    counter: Submission  # an application the clerk started at the counter
    attachment: Attachment


@pytest.fixture
def world(kyoto, family, neighbour, resident, other_resident, clerk, other_ward_clerk) -> World:
    approver = factories.staff_user(
        kyoto, "nakagyo-approver", "nakagyo-citizen-services", StaffMembership.Role.APPROVER
    )
    admin = factories.staff_user(
        kyoto, "city-admin", "digital-strategy", StaffMembership.Role.ADMIN
    )
    device = admin.otp_device
    admin.is_staff = admin.is_superuser = True
    admin.save()
    admin.otp_device = device
    otsu = factories.other_municipality()
    foreign = factories.staff_user(otsu, "otsu-clerk", "otsu-hq")
    client = Client()
    client.force_login(resident)
    reference = flows.apply_juminhyo(client, family[:2])
    case = Case.objects.get(submission__reference=reference)
    case_services.start_review(case, actor=clerk)
    case_services.draft_decision(case, actor=clerk, outcome="approve", reason="")
    case_services.sign_off(case, actor=approver)
    case = case_services.issue(case.pk)
    draft_url = flows.start(client)
    draft = Submission.objects.get(uuid=draft_url.split("/")[3])
    return World(
        users={
            ANONYMOUS: None,
            RESIDENT_A: resident,
            RESIDENT_B: other_resident,
            CLERK: clerk,
            OTHER_CLERK: other_ward_clerk,
            APPROVER: approver,
            ADMIN: admin,
            FOREIGN_STAFF: foreign,
        },
        case=case,
        reference=reference,
        draft=draft,
        document=case.document,
        message=Message.objects.filter(recipient=resident).first(),
        payment=Payment.objects.get(submission=case.submission),
        counter=submission_services.start_draft(
            applicant=resident, form_version=draft.form_version, language="ja", assisted_by=clerk
        ),
        attachment=Attachment.objects.create(
            submission=case.submission,
            field_name="id_document",
            original_name="menkyo.pdf",
            kind="pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
            file=ContentFile(b"%PDF-1.4\n", name="upload"),
        ),
    )


def _fill(route: str) -> dict[str, str]:
    """Arguments for admin URLs: an existing object id (admin permission is checked before the
    object, but django-otp's device config and QR views look the device up without a 404) and
    the first app the route accepts."""
    object_id = str(TOTPDevice.objects.order_by("pk").values_list("pk", flat=True).first() or 1)
    kwargs = dict.fromkeys(re.findall(r"<(?:\w+:)?(\w+)>", route), object_id)
    app_labels = re.search(r"\(\?P<app_label>([\w|]+)\)", route)
    if app_labels:
        kwargs["app_label"] = app_labels.group(1).split("|")[0]
    return kwargs


def _outcome(response: Any, row: Row) -> str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        to_login = any(p in location for p in LOGIN_PATHS)
        return "denied" if to_login and not row.redirects_everyone else "allowed"
    if response.status_code in DENIED_STATUSES:
        return "denied"
    if 200 <= response.status_code < 300 or response.status_code in row.served:
        return "allowed"
    return f"unexpected {response.status_code}"


def _request(client: Client, row: Row, url: str) -> Any:
    if row.content_type:
        return getattr(client, row.method.lower())(
            url, json.dumps(row.data), content_type=row.content_type
        )
    return getattr(client, row.method.lower())(url, row.data)


def _cases() -> list[tuple[str, Row]]:
    return [(name, row) for name in sorted(url_names()) for row in rows_for(name)]


@pytest.mark.parametrize(("name", "row"), _cases(), ids=[f"{n} {r.method}" for n, r in _cases()])
def test_permission_matrix(name: str, row: Row, world: World, idp) -> None:
    route = url_names()[name]
    kwargs = _fill(route) if name.startswith("admin:") else row.kwargs(world)
    url = reverse(name, kwargs=kwargs)
    if row.query:
        url = f"{url}?{row.query}"
    wrong = []
    for role in ROLES:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        # Each role's request is undone afterwards, so that a POST never changes the next one's.
        with transaction.atomic():
            response = _request(client, row, url)
            transaction.set_rollback(True)
        expected = "allowed" if role in row.allow else "denied"
        outcome = _outcome(response, row)
        if outcome != expected:
            wrong.append(f"{role}: expected {expected}, got {outcome} ({response.status_code})")
        elif row.reveals and outcome == "allowed":
            marker, may_see = row.reveals
            seen = marker(world) in response.content.decode()
            if seen != (role in may_see):
                wrong.append(f"{role}: {'sees' if seen else 'does not see'} {marker(world)}")
    assert wrong == [], f"{row.method} {url}:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r.method == "POST" and r.allow], ids=lambda r: r.name
)
def test_every_post_needs_the_csrf_token(row: Row, world: World) -> None:
    """The same requests as above, by a role allowed to make them, without the CSRF token."""
    role = next(role for role in ROLES if role in row.allow)
    client = Client(enforce_csrf_checks=True)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    name = row.name if "*" not in row.name else "admin:logout"
    kwargs = _fill(url_names()[name]) if name.startswith("admin:") else row.kwargs(world)
    response = _request(client, row, reverse(name, kwargs=kwargs))
    assert response.status_code == 403

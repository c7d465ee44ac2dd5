"""Staff edit the text of a notification per event and language; residents receive it."""

import pytest
from django.test import Client

from madoguchi.cases import services
from madoguchi.cases.models import Case
from madoguchi.notifications.models import Message, MessageTemplate
from tests import factories
from tests.flows import apply_juminhyo, staff_client
from tests.support import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin(kyoto):
    return factories.staff_user(kyoto, "digital-admin", "digital-strategy", role="admin")


def test_an_edited_template_is_what_the_resident_receives(
    admin, resident, family, clerk, smtp_server
) -> None:
    client = staff_client(admin)
    url = "/staff/message-templates/correction_requested/ja/"
    assert (
        "申請内容の補正をお願いします" in client.get("/staff/message-templates/").content.decode()
    )
    response = client.post(
        url,
        {
            "subject": "【京都市】補正のお願い {{ reference }}",
            "body": "{{ procedure }}について、{{ office }}から補正のお願いです。\n{{ message }}",
        },
    )
    assert response.status_code == 302
    resident_client = Client()
    resident_client.force_login(resident)
    reference = apply_juminhyo(resident_client, family[:1])
    case = Case.objects.get(submission__reference=reference)
    services.start_review(case, actor=clerk)
    services.request_correction(
        case, actor=clerk, message="通数を直してください。", question_keys=["copies"]
    )
    run_tasks()
    message = Message.objects.get(event="correction_requested")
    assert message.texts["ja"]["subject"] == f"【京都市】補正のお願い {reference}"
    assert message.texts["ja"]["body"] == (
        "住民票の写しの交付請求について、中京区役所 市民窓口課から補正のお願いです。\n"
        "通数を直してください。"
    )
    # English keeps its default text.
    assert message.texts["en"]["subject"].startswith("Please correct your application")
    subject, body = smtp_server.decoded(len(smtp_server.messages) - 1)
    assert subject == f"【京都市】補正のお願い {reference}"
    assert "通数を直してください。" in body


def test_templates_accept_placeholders_only(admin) -> None:
    client = staff_client(admin)
    url = "/staff/message-templates/application_received/en/"
    for body in [
        "{% load static %}hello",
        "{{ procedure.municipality }}",
        "{{ reference|upper }}",
        "{{ secret_key }}",
    ]:
        response = client.post(url, {"subject": "Received {{ reference }}", "body": body})
        assert response.status_code == 200
        assert "Only the placeholders listed" not in response.content.decode()  # Japanese UI
        assert "使えるのは一覧にある差し込み項目" in response.content.decode()
    assert not MessageTemplate.objects.exists()


def test_only_administrators_edit_templates(clerk) -> None:
    assert staff_client(clerk).get("/staff/message-templates/").status_code == 403

"""The resident's path through 住民票の写しの交付請求, driven through the real views."""

import re

from django.test import Client

from madoguchi.payments.contrib.sandbox.server import CARD_OK
from madoguchi.residents.models import Person


def start(client: Client) -> str:
    response = client.post("/procedures/juminhyo-copy/apply/")
    assert response.status_code == 302, response
    return response["Location"]


def fill_juminhyo(
    client: Client,
    members: list[Person],
    *,
    copies: str = "1",
    relationship: str = "yes",
    honseki: str = "no",
) -> str:
    """Fill every step; return the check-answers URL."""
    url = start(client)
    response = client.post(url, {"members": [str(p.pk) for p in members]})
    response = client.post(
        response["Location"], {"include_relationship": relationship, "include_honseki": honseki}
    )
    response = client.post(response["Location"], {"purpose": "employment", "copies": copies})
    check_url = response["Location"]
    assert check_url.endswith("/check/")
    return check_url


def pay_in_sandbox(client: Client, pay_url: str, *, card: str = CARD_OK) -> str:
    """Start the payment, pay on the sandbox's hosted page, come back; returns where the
    return page sent the resident."""
    checkout = client.post(pay_url)["Location"]
    assert checkout.startswith("/sandbox-pay/checkout/"), checkout
    back = client.post(checkout, {"card_number": card})["Location"]
    assert "/payments/" in back, back
    assert back.endswith("/return/"), back
    response = client.get(back)
    return response["Location"] if response.status_code == 302 else back


def apply_juminhyo(
    client: Client,
    members: list[Person],
    *,
    copies: str = "1",
    relationship: str = "yes",
    honseki: str = "no",
) -> str:
    """Fill every step, pay the fee in the sandbox (住民票 is paid at application), and return
    the reference number the resident is shown."""
    check_url = fill_juminhyo(
        client, members, copies=copies, relationship=relationship, honseki=honseki
    )
    landing = pay_in_sandbox(client, check_url.replace("/check/", "/pay/"))
    match = re.match(r"^(?:/en)?/applications/([A-Z0-9-]+)/submitted/$", landing)
    assert match, landing
    return match.group(1)


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def case_action(
    client: Client, case_id: int, action: str, data: dict | None = None, *, language: str = ""
):
    """Post one action of the staff case page (its forms are prefixed by the action)."""
    fields = {f"{action}-{key}": value for key, value in (data or {}).items()}
    prefix = f"/{language}" if language else ""
    return client.post(f"{prefix}/staff/cases/{case_id}/", {"action": action, **fields})


def decide_through_four_eyes(
    case_id: int,
    clerk,
    approver,
    *,
    outcome: str = "approve",
    reason: str = "",
) -> None:
    """受付 → 審査中 → 決裁待ち (the clerk drafts) → 承認/却下 (the 決裁者 signs off)."""
    clerk_client = staff_client(clerk)
    case_action(clerk_client, case_id, "start_review")
    case_action(clerk_client, case_id, "decide", {"outcome": outcome, "reason": reason})
    response = case_action(staff_client(approver), case_id, "sign_off")
    assert response.status_code == 302

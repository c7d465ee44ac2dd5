"""The resident's path through 住民票の写しの交付請求, driven through the real views."""

import re

from django.test import Client

from madoguchi.residents.models import Person


def start(client: Client) -> str:
    response = client.post("/procedures/juminhyo-copy/apply/")
    assert response.status_code == 302, response
    return response["Location"]


def apply_juminhyo(
    client: Client,
    members: list[Person],
    *,
    copies: str = "1",
    relationship: str = "yes",
    honseki: str = "no",
) -> str:
    """Fill every step, submit, and return the reference number the resident is shown."""
    url = start(client)
    response = client.post(url, {"members": [str(p.pk) for p in members]})
    response = client.post(
        response["Location"], {"include_relationship": relationship, "include_honseki": honseki}
    )
    response = client.post(response["Location"], {"purpose": "employment", "copies": copies})
    check_url = response["Location"]
    assert check_url.endswith("/check/")
    response = client.post(check_url)
    match = re.match(r"^/applications/([A-Z0-9-]+)/submitted/$", response["Location"])
    assert match, response["Location"]
    return match.group(1)

"""A resident's path through a bundle, driven through the real views."""

from django.test import Client

from madoguchi.bundles.models import Bundle
from madoguchi.residents.models import Person


def moving_in_steps(family: list[Person]) -> dict[str, dict]:
    """What a resident posts on each shared step of the 転入 bundle, by step key."""
    children = [str(family[2].pk)]
    return {
        "move": {
            "moved_in_on": "令和7年4月1日",
            "previous_address": "大阪府大阪市北区中之島1-3-20",
        },
        "movers": {"movers": [str(p.pk) for p in family]},
        "contact": {"phone": "075-222-3111"},
        "nhi": {
            "nhi_members": [str(family[1].pk), children[0]],
            "nhi_reason": "moved_in",
            "nhi_since": "令和7年4月1日",
        },
        "children": {"children": children},
        "claimant": {"pension": "national"},
        "account": {
            "bank_name": "京都銀行",
            "branch_name": "本店",
            "account_type": "ordinary",
            "account_number": "1234567",
            "account_holder_kana": "ヤマダ タロウ",
        },
        "insurance": {"insured": "yes"},
    }


def birth_steps(family: list[Person]) -> dict[str, dict]:
    steps = moving_in_steps(family)
    return {
        "children": steps["children"],
        "claimant": {"pension": "employee", "previous_address": ""},
        "account": steps["account"],
        "contact": steps["contact"],
        "insurance": steps["insurance"],
        "nhi": {**steps["nhi"], "nhi_reason": "birth"},
    }


def fill(
    client: Client,
    slug: str,
    steps: dict[str, dict],
    prefix: str = "",
    procedures: list[str] | None = None,
) -> tuple[str, list]:
    """Start the bundle for ``procedures`` (all of it by default) and answer every step it
    asks; return the check URL and the step keys in the order they were asked."""
    if procedures is None:
        bundle = Bundle.objects.get(slug=slug)
        procedures = [c.procedure.code for c in bundle.components.select_related("procedure")]
    response = client.post(f"{prefix}/life-events/{slug}/start/", {"procedures": procedures})
    assert response.status_code == 302, response
    url = response["Location"]
    asked = []
    while not url.endswith("/check/"):
        key = url.rstrip("/").split("/")[-1]
        asked.append(key)
        response = client.post(url, steps[key])
        assert response.status_code == 302, response.content.decode()
        url = response["Location"]
    return url, asked

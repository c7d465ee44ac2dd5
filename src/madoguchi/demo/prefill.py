"""A demo prefill source: contact details for the demo accounts, so that a demonstration shows
once-only prefill from a source other than the registry."""

from typing import Any

from madoguchi.forms.prefill import PrefillAttribute, PrefillContext, register_prefill_source

SOURCE = {"ja": "デモ用の情報源", "en": "Demo source"}
ATTRIBUTES = [
    PrefillAttribute("demo.phone", {"ja": "電話番号（デモ）", "en": "Phone number (demo)"}, SOURCE),
    PrefillAttribute(
        "demo.email", {"ja": "メールアドレス（デモ）", "en": "E-mail address (demo)"}, SOURCE
    ),
]


def fetch(context: PrefillContext, keys: list[str]) -> dict[str, Any]:
    user = context.user
    if user is None or not getattr(user, "is_demo", False):
        return {}
    # 075-222-3111 is Kyoto City's main switchboard, never a resident's own number.
    values = {
        "demo.phone": "075-222-3111",
        "demo.email": user.email or f"{user.username}@example.jp",
    }
    return {key: values[key] for key in keys if key in values}


register_prefill_source("demo", ATTRIBUTES, fetch)

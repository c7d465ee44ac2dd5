"""The demo definition with every question type, and answers that complete it."""

import json
from pathlib import Path
from typing import Any

import madoguchi.forms

EVERY_TYPE_PATH = Path(madoguchi.forms.__file__).parent / "fixtures" / "every_type.json"


def every_type_definition() -> dict[str, Any]:
    return json.loads(EVERY_TYPE_PATH.read_text(encoding="utf-8"))


# What a resident types on each step, as the browser posts it.
EVERY_TYPE_POSTS: dict[str, dict[str, Any]] = {
    "applicant": {
        "full_name": "京都 花子",
        "full_name_kana": "きょうと　はなこ",
        "birth_date": "平成2年4月1日",
        "address__postal_code": "604-8571",
        "address__prefecture": "",
        "address__city": "",
        "address__town": "寺町通御池上る上本能寺前町",
        "address__block": "488",
        "address__building": "",
        "phone": "075-222-3111",
        "email": "hanako@example.jp",
    },
    "details": {
        "copies": "２",
        "purpose": "other",
        "ward": "nakagyo",
        "contact_by": ["phone", "email"],
        "has_children": "yes",
        "note": "",
    },
    "children": {
        "children__count": "2",
        "children__0__child_name": "京都 一郎",
        "children__0__child_birth_date": "R2.5.1",
        "children__1__child_name": "京都 二郎",
        "children__1__child_birth_date": "2022-06-01",
    },
    "documents": {"purpose_detail": "奨学金の申請"},
}

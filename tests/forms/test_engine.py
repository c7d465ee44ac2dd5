import pytest

from madoguchi.forms import engine
from madoguchi.forms.schema import FormSchema, SchemaError
from madoguchi.forms.sources import ChoiceContext

SCHEMA = {
    "steps": [
        {
            "key": "one",
            "title": {"ja": "一", "en": "One"},
            "questions": [
                {
                    "key": "copies",
                    "type": "number",
                    "label": {"ja": "通数", "en": "Copies"},
                    "min": 1,
                    "max": 10,
                },
                {
                    "key": "purpose",
                    "type": "choice",
                    "label": {"ja": "使いみち", "en": "Purpose"},
                    "choices": [{"value": "work", "label": {"ja": "勤務先", "en": "Work"}}],
                },
                {
                    "key": "note",
                    "type": "text",
                    "label": {"ja": "備考", "en": "Note"},
                    "required": False,
                    "max_length": 5,
                },
            ],
        }
    ]
}


def _form(data: dict):
    schema = FormSchema.parse(SCHEMA)
    return engine.step_form(schema.steps[0], ChoiceContext(), data=data)


def test_full_width_digits_are_accepted() -> None:
    form = _form({"copies": "２", "purpose": "work"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["copies"] == 2


def test_errors_name_the_question_in_japanese() -> None:
    form = _form({"copies": "11", "note": "とても長い備考"})
    assert not form.is_valid()
    assert form.errors["copies"] == ["「通数」は1以上10以下の数字で入力してください。"]
    assert form.errors["purpose"] == ["「使いみち」を選んでください。"]
    assert form.errors["note"] == ["「備考」は5文字以内で入力してください。"]


def test_a_value_outside_the_choices_is_refused() -> None:
    form = _form({"copies": "1", "purpose": "bribe"})
    assert not form.is_valid()
    assert "purpose" in form.errors


def test_whole_form_validation_catches_a_skipped_step() -> None:
    schema = FormSchema.parse(SCHEMA)
    errors = engine.validate_answers(schema, {"copies": 3}, ChoiceContext())
    assert errors == {"one": ["「使いみち」を選んでください。"]}
    assert engine.validate_answers(schema, {"copies": 3, "purpose": "work"}, ChoiceContext()) == {}


def test_summary_shows_labels_not_stored_values() -> None:
    schema = FormSchema.parse(SCHEMA)
    rows = engine.summarize(schema, {"copies": 2, "purpose": "work"}, ChoiceContext())
    assert [(r.label, r.value) for r in rows] == [
        ("通数", "2"),
        ("使いみち", "勤務先"),
        ("備考", "（未回答）"),
    ]


@pytest.mark.parametrize(
    "broken",
    [
        {"steps": []},
        {
            "steps": [
                {"key": "a", "title": {}, "questions": [{"key": "x", "type": "magic", "label": {}}]}
            ]
        },
        {
            "steps": [
                {
                    "key": "a",
                    "title": {},
                    "questions": [{"key": "x", "type": "choice", "label": {}}],
                }
            ]
        },
        {
            "steps": [
                {
                    "key": "a",
                    "title": {},
                    "questions": [
                        {"key": "x", "type": "text", "label": {}},
                        {"key": "x", "type": "text", "label": {}},
                    ],
                }
            ]
        },
    ],
)
def test_malformed_definitions_are_refused(broken: dict) -> None:
    with pytest.raises(SchemaError):
        FormSchema.parse(broken)


def test_attachment_ids_are_found_and_renamed_in_groups_too() -> None:
    schema = FormSchema.parse(
        {
            "steps": [
                {
                    "key": "files",
                    "title": {"ja": "書類", "en": "Files"},
                    "questions": [
                        {"key": "card", "type": "file", "label": {"ja": "保険証", "en": "Card"}},
                        {
                            "key": "children",
                            "type": "group",
                            "label": {"ja": "お子さん", "en": "Children"},
                            "questions": [
                                {"key": "name", "type": "text", "label": {"ja": "氏名", "en": "N"}},
                                {
                                    "key": "proof",
                                    "type": "file",
                                    "label": {"ja": "証明書", "en": "Proof"},
                                    "required": False,
                                },
                            ],
                        },
                    ],
                }
            ]
        }
    )
    answers = {
        "card": "a",
        "children": [{"name": "一郎", "proof": "b"}, {"name": "二郎", "proof": ""}],
    }
    assert engine.attachment_ids(schema, answers) == ["a", "b"]
    renamed = engine.rename_attachments(schema, answers, {"a": "x", "b": "y"})
    assert renamed == {
        "card": "x",
        "children": [{"name": "一郎", "proof": "y"}, {"name": "二郎", "proof": ""}],
    }
    assert answers["children"][0]["proof"] == "b"  # the given answers are left as they were

"""Every question type of the definition language: what residents type, what is kept, and what
they are told when it is wrong."""

import pytest
from django.utils import translation

from madoguchi.forms import engine
from madoguchi.forms.schema import FormSchema, SchemaError
from madoguchi.forms.sources import ChoiceContext

from .every_type import EVERY_TYPE_POSTS, every_type_definition

ATTACHMENT = "0f8fad5b-d9cb-469f-a165-70867728950e"
CONTEXT = ChoiceContext(attachments={ATTACHMENT: "menkyo.pdf"})


@pytest.fixture
def schema() -> FormSchema:
    return FormSchema.parse(every_type_definition())


def _post(schema: FormSchema, step: str, data: dict, answers: dict | None = None):
    from django.http import QueryDict

    posted = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            posted.setlist(name, value)
        else:
            posted[name] = value
    return engine.step_form(schema.step(step), CONTEXT, data=posted, answers=answers or {})


def _complete(schema: FormSchema) -> dict:
    answers: dict = {}
    for step in schema.steps:
        posted = dict(EVERY_TYPE_POSTS.get(step.key, {}))
        if step.key == "documents":
            posted["id_document__current"] = ATTACHMENT
        form = _post(schema, step.key, posted, answers)
        assert form.is_valid(), (step.key, form.errors)
        answers.update(engine.to_answers(form))
    return answers


def test_every_type_is_normalized_to_its_stored_form(schema) -> None:
    answers = _complete(schema)
    assert answers["full_name"] == "京都 花子"
    assert answers["full_name_kana"] == "キョウト　ハナコ"
    assert answers["birth_date"] == "1990-04-01"
    # The prefecture and city come from the postal code when left blank.
    assert answers["address"] == {
        "postal_code": "6048571",
        "prefecture": "京都府",
        "city": "京都市中京区",
        "town": "寺町通御池上る上本能寺前町",
        "block": "488",
        "building": "",
    }
    assert answers["phone"] == "075-222-3111"
    assert answers["copies"] == 2
    assert answers["contact_by"] == ["phone", "email"]
    assert answers["has_children"] == "yes"
    assert answers["children"] == [
        {"child_name": "京都 一郎", "child_birth_date": "2020-05-01"},
        {"child_name": "京都 二郎", "child_birth_date": "2022-06-01"},
    ]
    assert answers["id_document"] == ATTACHMENT
    assert "intro" not in answers
    assert engine.validate_answers(schema, answers, CONTEXT) == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "京都 2", "氏名に数字は使えません。"),
        ("full_name", "京", "「氏名」は2文字以上で入力してください。"),
        ("full_name_kana", "京都はなこ", "「氏名（フリガナ）」はカタカナで入力してください。"),
        ("birth_date", "平成31年5月1日", "「生年月日」の年がその元号の期間にありません。"),
        (
            "birth_date",
            "2024-02-30",
            "「生年月日」は「令和6年4月1日」や「2024-04-01」のように、実在する日付で入力してください。",
        ),
        (
            "birth_date",
            "2027-01-01",
            "「生年月日」は令和8年（2026年）12月31日以前の日付で入力してください。",
        ),
        ("phone", "12345", "「電話番号」は0から始まる10桁か11桁の電話番号で入力してください。"),
        (
            "email",
            "hanako@",
            "「メールアドレス」は「name@example.jp」のような形で入力してください。",
        ),
        (
            "address__postal_code",
            "60485",
            "「住所（郵便番号）」は「604-8571」のように7桁で入力してください。",
        ),
        ("address__block", "", "「住所（番地）」を入力してください。"),
    ],
)
def test_bad_input_gets_a_specific_message(schema, field, value, message) -> None:
    form = _post(schema, "applicant", {**EVERY_TYPE_POSTS["applicant"], field: value})
    assert not form.is_valid()
    assert form.errors[field] == [message]
    assert (f"id_{field}", message) in form.error_links


def test_messages_are_in_english_for_english_residents(schema) -> None:
    with translation.override("en"):
        form = _post(schema, "applicant", {**EVERY_TYPE_POSTS["applicant"], "phone": ""})
        assert not form.is_valid()
        assert form.errors["phone"] == ["Enter “Phone number”."]
        form = _post(
            schema, "applicant", {**EVERY_TYPE_POSTS["applicant"], "full_name_kana": "abc"}
        )
        assert form.errors["full_name_kana"] == ["Enter “Name in katakana” in katakana."]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("copies", "6", "「必要な部数」は1以上5以下の数字で入力してください。"),
        ("purpose", "bribe", "「使いみち」を選んでください。"),
        ("ward", "", "「受け取る区役所」を選んでください。"),
        ("contact_by", ["fax"], "「連絡方法」を選んでください。"),
        ("has_children", "maybe", "「18歳未満のお子さんはいますか」を選んでください。"),
        ("note", "あ" * 201, "「備考」は200文字以内で入力してください。"),
    ],
)
def test_choices_and_numbers_are_checked(schema, field, value, message) -> None:
    form = _post(schema, "details", {**EVERY_TYPE_POSTS["details"], field: value})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_group_item_is_checked_and_named_in_the_message(schema) -> None:
    posted = {**EVERY_TYPE_POSTS["children"], "children__1__child_birth_date": "令和99年"}
    form = _post(schema, "children", posted)
    assert not form.is_valid()
    assert form.errors["children__1__child_birth_date"] == [
        "「お子さん 2の生年月日」は「令和6年4月1日」や「2024-04-01」のように、"
        "実在する日付で入力してください。"
    ]


def test_a_blank_group_item_is_dropped_and_the_minimum_enforced(schema) -> None:
    form = _post(
        schema,
        "children",
        {"children__count": "2", "children__0__child_name": "", "children__1__child_name": ""},
    )
    assert not form.is_valid()
    assert form.errors["children__0__child_name"] == ["「お子さん」を1件以上入力してください。"]
    posted = {**EVERY_TYPE_POSTS["children"], "children__count": "3"}
    form = _post(schema, "children", posted)
    assert form.is_valid(), form.errors
    assert len(engine.to_answers(form)["children"]) == 2


def test_a_group_never_shows_or_accepts_more_items_than_allowed(schema) -> None:
    form = _post(schema, "children", {"children__count": "1000"})
    assert form.group_sizes["children"] == 4
    answers = _complete(schema)
    answers["children"] = answers["children"] * 3  # six children, four allowed
    errors = engine.validate_answers(schema, answers, CONTEXT)
    assert errors == {"children": ["「お子さん」は4件までです。"]}


def test_add_and_remove_keep_what_was_typed(schema) -> None:
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update(EVERY_TYPE_POSTS["children"])
    added = engine.apply_group_action(
        schema.step("children"), CONTEXT, data, {}, ("add", "children", -1)
    )
    assert added.group_sizes["children"] == 3
    assert added.initial["children__1__child_name"] == "京都 二郎"
    assert not added.errors  # nothing is validated before the resident presses "next"
    removed = engine.apply_group_action(
        schema.step("children"), CONTEXT, data, {}, ("remove", "children", 0)
    )
    assert removed.group_sizes["children"] == 1
    assert removed.initial["children__0__child_name"] == "京都 二郎"


def test_group_action_reads_only_known_groups(schema) -> None:
    step = schema.step("children")
    assert engine.group_action(step, {"_group": "add:children"}) == ("add", "children", -1)
    assert engine.group_action(step, {"_group": "remove:children:1"}) == ("remove", "children", 1)
    assert engine.group_action(step, {"_group": "add:nothing"}) is None
    assert engine.group_action(step, {}) is None


def test_a_file_question_needs_an_attachment_of_this_draft(schema) -> None:
    form = _post(schema, "documents", {"purpose_detail": "x"}, {"purpose": "other"})
    assert form.errors["id_document"] == ["「本人確認書類」のファイルを選んでください。"]
    form = _post(schema, "documents", {"id_document__current": "someone-elses"})
    assert form.errors["id_document"] == ["「本人確認書類」のファイルをもう一度選んでください。"]


def test_a_refused_upload_is_reported_on_its_question(schema) -> None:
    form = engine.step_form(
        schema.step("documents"),
        CONTEXT,
        data={"id_document__current": ATTACHMENT},
        upload_errors={"id_document": "「本人確認書類」はPDF、JPEG、PNGのファイルにしてください。"},
    )
    assert form.errors["id_document"] == [
        "「本人確認書類」はPDF、JPEG、PNGのファイルにしてください。"
    ]


def test_hidden_questions_are_not_asked_validated_or_kept(schema) -> None:
    answers = _complete(schema)
    answers.update({"has_children": "no", "purpose": "work"})
    # Only the questions still asked are checked: the children and the purpose detail are not.
    assert engine.validate_answers(schema, answers, CONTEXT) == {}
    kept = engine.prune(schema, answers)
    assert "children" not in kept
    assert "purpose_detail" not in kept
    assert [s.key for s in schema.visible_steps(kept)] == ["applicant", "details", "documents"]
    assert schema.next_step("details", kept).key == "documents"
    assert schema.previous_step("documents", kept).key == "details"
    form = engine.step_form(schema.step("documents"), CONTEXT, answers=kept)
    assert "purpose_detail" not in form.fields


def test_a_skipped_step_is_caught_at_submission(schema) -> None:
    answers = _complete(schema)
    del answers["children"]
    errors = engine.validate_answers(schema, answers, CONTEXT)
    assert errors == {"children": ["「お子さん」を1件以上入力してください。"]}


def test_summary_shows_groups_item_by_item_and_addresses_joined(schema) -> None:
    rows = engine.summarize(schema, _complete(schema), CONTEXT)
    shown = {row.label: row.value for row in rows}
    assert shown["住所"] == "〒604-8571 京都府京都市中京区寺町通御池上る上本能寺前町488"
    assert shown["生年月日"] == "平成2年（1990年）4月1日"
    assert shown["連絡方法"] == "電話、メール"
    assert shown["受け取る区役所"] == "中京区役所"
    assert shown["18歳未満のお子さんはいますか"] == "はい"
    assert shown["お子さん 1：氏名"] == "京都 一郎"
    assert shown["お子さん 2：生年月日"] == "令和4年（2022年）6月1日"
    assert shown["本人確認書類"] == "menkyo.pdf"
    assert shown["備考"] == "（未回答）"
    assert "ご案内" not in shown
    assert {row.step_key for row in rows if row.question_key == "children"} == {"children"}


def test_the_saved_answers_are_shown_again(schema) -> None:
    answers = _complete(schema)
    form = engine.step_form(schema.step("applicant"), CONTEXT, answers=answers)
    assert form.initial["address__city"] == "京都市中京区"
    children = engine.step_form(schema.step("children"), CONTEXT, answers=answers)
    assert children.group_sizes["children"] == 2
    assert children.initial["children__1__child_name"] == "京都 二郎"
    documents = engine.step_form(schema.step("documents"), CONTEXT, answers=answers)
    assert f'value="{ATTACHMENT}"' in str(documents["id_document"])


def test_prefill_keys_are_kept_on_the_question(schema) -> None:
    assert schema.step("applicant").questions[1].prefill == "registry.full_name"


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"show_if": {"question": "later", "equals": "x"}}, "earlier step"),
        ({"show_if": {"question": "copies"}}, "'equals' or 'in'"),
        ({"pattern": "(unclosed"}, "not a valid expression"),
        ({"key": "Bad-Key"}, "lower-case"),
        ({"type": "file", "accept": ["exe"]}, "unknown file kinds"),
    ],
)
def test_definitions_with_mistakes_are_refused(change, complaint) -> None:
    question = {"key": "q", "type": "text", "label": {"ja": "問", "en": "Q"}, **change}
    definition = {
        "steps": [
            {
                "key": "first",
                "title": {},
                "questions": [{"key": "copies", "type": "number", "label": {"ja": "部数"}}],
            },
            {"key": "second", "title": {}, "questions": [question]},
        ]
    }
    with pytest.raises(SchemaError, match=complaint):
        FormSchema.parse(definition)


def test_a_group_inside_a_group_is_refused() -> None:
    inner = {
        "key": "inner",
        "type": "group",
        "label": {"ja": "内"},
        "questions": [{"key": "x", "type": "text", "label": {"ja": "x"}}],
    }
    definition = {
        "steps": [
            {
                "key": "s",
                "title": {},
                "questions": [
                    {"key": "outer", "type": "group", "label": {"ja": "外"}, "questions": [inner]}
                ],
            }
        ]
    }
    with pytest.raises(SchemaError, match="inside another group"):
        FormSchema.parse(definition)


def test_an_optional_file_can_be_removed_and_a_kept_one_is_named() -> None:
    schema = FormSchema.parse(
        {
            "steps": [
                {
                    "key": "files",
                    "title": {"ja": "書類"},
                    "questions": [
                        {
                            "key": "extra",
                            "type": "file",
                            "label": {"ja": "その他の書類"},
                            "required": False,
                            "accept": ["pdf"],
                        }
                    ],
                }
            ]
        }
    )
    step = schema.step("files")
    shown = engine.step_form(step, CONTEXT, answers={"extra": ATTACHMENT})
    html = str(shown["extra"])
    assert "選択済みのファイル：menkyo.pdf" in html
    assert 'name="extra__remove"' in html
    removed = engine.step_form(
        step, CONTEXT, data={"extra__current": ATTACHMENT, "extra__remove": "1"}
    )
    assert removed.is_valid(), removed.errors
    assert engine.to_answers(removed) == {"extra": ""}
    # A required file offers no removal, only replacement.
    documents = FormSchema.parse(every_type_definition()).step("documents")
    required = engine.step_form(documents, CONTEXT, answers={"id_document": ATTACHMENT})
    assert "__remove" not in str(required["id_document"])

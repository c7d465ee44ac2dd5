"""The no-code form builder, driven through its pages as a section's 管理者 would."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.accounts.models import StaffMembership
from madoguchi.audit.models import AuditEntry
from madoguchi.cases.models import Case
from madoguchi.forms.models import FormDraft, FormVersion
from madoguchi.forms.schema import QUESTION_TYPES
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission
from tests import factories, flows
from tests.support import japanese_outside_lang_ja

pytestmark = pytest.mark.django_db

# Handled at every ward's 保険年金課 (function insurance_pension); not online and no form yet.
CODE = "national-pension-enrollment"


@pytest.fixture
def procedure(kyoto) -> Procedure:
    return Procedure.objects.get(municipality=kyoto, code=CODE)


@pytest.fixture
def builder_admin(kyoto):
    """The 管理者 of 中京区役所 保険年金課, a section that handles the procedure."""
    section = factories.section(kyoto, "nakagyo-insurance-pension")
    return factories.staff_user(
        kyoto, "nakagyo-nhi-admin", section.code, StaffMembership.Role.ADMIN
    )


@pytest.fixture
def staff(builder_admin) -> Client:
    return flows.staff_client(builder_admin)


def base(procedure: Procedure) -> str:
    return f"/staff/forms/{procedure.pk}/"


def summary(response) -> list[str]:
    """Every line of the page's error summary."""
    box = re.search(r'<ul class="error-summary__list">(.*?)</ul>', response.content.decode(), re.S)
    return re.findall(r"<li>(?:<a [^>]*>)?([^<]*)<", box.group(1)) if box else []


def errors(response) -> list[str]:
    return re.findall(
        r'class="error-message"[^>]*><span class="visually-hidden">[^<]*</span>([^<]*)<',
        response.content.decode(),
    )


def add_step(client: Client, procedure: Procedure, key: str, title: str, **extra) -> None:
    response = client.post(
        base(procedure) + "steps/new/",
        {"key": key, "title_ja": title, "title_en": f"{title} (en)", **extra},
    )
    assert response.status_code == 302, errors(response)


def add_question(
    client: Client, procedure: Procedure, step: str, qtype: str, data: dict, group: str = ""
) -> None:
    query = f"?type={qtype}" + (f"&group={group}" if group else "")
    response = client.post(base(procedure) + f"steps/{step}/questions/new/{query}", data)
    assert response.status_code == 302, summary(response)
    assert response["Location"] == base(procedure)


def definition(procedure: Procedure) -> dict:
    return FormDraft.objects.get(procedure=procedure).schema


# What the builder's form needs for one question of each type, and what a resident answers.
QUESTIONS = {
    "text": (
        {
            "label_ja": "氏名",
            "label_en": "Name",
            "required": "on",
            "max_length": "20",
            "pattern": "^[^0-9]*$",
            "pattern_message_ja": "数字は使えません。",
            "pattern_message_en": "No digits.",
        },
        "京都 花子",
    ),
    "textarea": (
        {"label_ja": "理由", "label_en": "Reason", "help_ja": "具体的に", "max_length": "200"},
        "転職のため",
    ),
    "kana": ({"label_ja": "フリガナ", "label_en": "Kana", "required": "on"}, "きょうと　はなこ"),
    "number": (
        {"label_ja": "人数", "label_en": "People", "required": "on", "min": "1", "max": "9"},
        "2",
    ),
    "date": (
        {"label_ja": "異動日", "label_en": "Date of move", "required": "on", "min": "2020-01-01"},
        "令和6年4月1日",
    ),
    "address": (
        {
            "label_ja": "住所",
            "label_en": "Address",
            "required": "on",
            "prefill": "registry.address",
        },
        {
            "postal_code": "604-8571",
            "prefecture": "",
            "city": "",
            "town": "寺町通御池上る上本能寺前町",
            "block": "488",
            "building": "",
        },
    ),
    "phone": ({"label_ja": "電話番号", "label_en": "Phone", "required": "on"}, "075-222-3111"),
    "email": ({"label_ja": "メール", "label_en": "Email"}, "hanako@example.jp"),
    "choice": (
        {
            "label_ja": "加入の理由",
            "label_en": "Why",
            "required": "on",
            "choices": "job | 退職 | Left a job\nmove | 転入 | Moved in",
        },
        "job",
    ),
    "select": (
        {
            "label_ja": "区",
            "label_en": "Ward",
            "required": "on",
            "choices": "kita | 北区 | Kita\nnakagyo | 中京区 | Nakagyo",
        },
        "nakagyo",
    ),
    "multi_choice": (
        {
            "label_ja": "必要な書類",
            "label_en": "Documents",
            "choices": "card | 保険証 | Card\nslip | 資格証明 | Certificate",
        },
        ["card", "slip"],
    ),
    "yes_no": (
        {"label_ja": "扶養する家族がいますか", "label_en": "Any dependants?", "required": "on"},
        "yes",
    ),
    "file": (
        {
            "label_ja": "離職票",
            "label_en": "Separation notice",
            "accept": ["pdf", "png"],
            "max_size_mb": "5",
        },
        "",
    ),
    "info": (
        {
            "label_ja": "ご注意",
            "body_ja": "保険料は翌月から",
            "body_en": "Premiums start next month",
        },
        None,
    ),
}


def supported() -> list[str]:
    """Every type but the repeating group, which step 2 holds."""
    assert set(QUESTIONS) | {"group"} == QUESTION_TYPES
    return list(QUESTIONS)


def build_every_type(client: Client, procedure: Procedure) -> None:
    """Step 1 holds one question of every type the engine supports; step 2 is asked only to
    those with dependants, and holds a question shown only for one of the choices."""
    add_step(client, procedure, "about", "申請者について")
    for qtype in supported():
        data, _answer = QUESTIONS[qtype]
        add_question(client, procedure, "about", qtype, {"key": f"{qtype}_q", **data})
    add_step(
        client, procedure, "family", "ご家族", show_if_question="yes_no_q", show_if_values="yes"
    )
    add_question(
        client,
        procedure,
        "family",
        "text",
        {
            "key": "dependant",
            "label_ja": "扶養家族の氏名",
            "label_en": "Dependant",
            "required": "on",
        },
    )
    add_question(
        client,
        procedure,
        "family",
        "textarea",
        {
            "key": "job_detail",
            "label_ja": "退職した会社",
            "label_en": "Former employer",
            "show_if_question": "choice_q",
            "show_if_values": "job, move",
        },
    )
    add_question(
        client,
        procedure,
        "family",
        "group",
        {
            "key": "children",
            "label_ja": "お子さん",
            "label_en": "Children",
            "item_label_ja": "お子さん",
            "item_label_en": "Child",
            "min_items": "1",
            "max_items": "4",
            "required": "on",
        },
    )
    for key, qtype, label in (
        ("child_name", "text", "子の氏名"),
        ("child_birth", "date", "子の生年月日"),
    ):
        data = {"key": key, "label_ja": label, "required": "on"}
        add_question(client, procedure, "family", qtype, data, group="children")


def resident_answers(types: list[str]) -> dict:
    """What the browser posts for step 1 (an address is posted in parts)."""
    posted = {}
    for qtype in types:
        answer = QUESTIONS[qtype][1]
        if isinstance(answer, dict):
            posted.update({f"{qtype}_q__{part}": value for part, value in answer.items()})
        elif answer is not None:
            posted[f"{qtype}_q"] = answer
    return posted


def apply(client: Client, procedure: Procedure) -> str:
    """A resident fills every step of the published form; returns the reference."""
    response = client.post(f"/procedures/{procedure.code}/apply/")
    assert response.status_code == 302, response
    url = response["Location"]
    response = client.post(url, resident_answers(supported()))
    assert response.status_code == 302, errors(response)
    response = client.post(
        response["Location"],
        {
            "dependant": "京都 一郎",
            "job_detail": "株式会社みやこ",
            "children__count": "2",
            "children__0__child_name": "京都 一郎",
            "children__0__child_birth": "R2.5.1",
            "children__1__child_name": "京都 二郎",
            "children__1__child_birth": "2022-06-01",
        },
    )
    assert response.status_code == 302, summary(response)
    assert response["Location"].endswith("/check/")
    done = client.post(response["Location"])
    assert done.status_code == 302, errors(done)
    return re.search(r"/applications/([A-Z0-9-]+)/submitted/", done["Location"]).group(1)


def test_a_section_admin_builds_publishes_and_staff_see_each_version(
    staff, procedure, resident, kyoto
) -> None:
    listing = staff.get("/staff/forms/")
    assert procedure.name_ja in listing.content.decode()
    assert not procedure.online_available

    build_every_type(staff, procedure)
    draft = definition(procedure)
    about = draft["steps"][0]["questions"]
    assert [q["type"] for q in about] == supported()
    assert about[supported().index("address")]["prefill"] == "registry.address"
    assert draft["steps"][1]["show_if"] == {"question": "yes_no_q", "equals": "yes"}
    assert [q["key"] for q in draft["steps"][1]["questions"][2]["questions"]] == [
        "child_name",
        "child_birth",
    ]
    assert draft["steps"][1]["questions"][1]["show_if"] == {
        "question": "choice_q",
        "in": ["job", "move"],
    }
    page = staff.get(base(procedure)).content.decode()
    assert "扶養家族の氏名" in page
    assert "ステップ2：ご家族" in page

    # Nothing is online until published.
    assert staff.post(base(procedure) + "publish/").status_code == 302
    procedure.refresh_from_db()
    assert procedure.online_available
    v1 = FormVersion.objects.get(procedure=procedure)
    assert v1.number == 1
    assert v1.published_by.username == "nakagyo-nhi-admin"
    assert AuditEntry.objects.filter(action="publish_form", target_id=str(procedure.pk)).exists()
    assert not FormDraft.objects.filter(procedure=procedure).exists()

    resident_client = Client()
    resident_client.force_login(resident)
    first = apply(resident_client, procedure)

    # A new version renames a question.
    url = base(procedure) + "steps/family/questions/dependant/"
    edit = staff.get(url)
    assert 'value="扶養家族の氏名"' in edit.content.decode()
    response = staff.post(
        url,
        {
            "key": "dependant",
            "label_ja": "被扶養者の氏名",
            "label_en": "Dependant's name",
            "required": "on",
        },
    )
    assert response.status_code == 302, errors(response)
    staff.post(base(procedure) + "publish/")
    assert procedure.form_versions.count() == 2
    second = apply(resident_client, procedure)

    clerk = flows.staff_client(
        factories.staff_user(kyoto, "nakagyo-nhi-clerk", "nakagyo-insurance-pension")
    )
    old = clerk.get(
        f"/staff/cases/{Case.objects.get(submission__reference=first).pk}/"
    ).content.decode()
    new = clerk.get(
        f"/staff/cases/{Case.objects.get(submission__reference=second).pk}/"
    ).content.decode()
    assert "扶養家族の氏名" in old
    assert "被扶養者の氏名" not in old
    assert "第1版" in old
    assert "被扶養者の氏名" in new
    assert "扶養家族の氏名" not in new
    assert "第2版" in new
    assert "京都 一郎" in old
    assert "京都 一郎" in new


def exported_with(question: dict) -> bytes:
    """An export file whose one step holds ``question``."""
    step = {"key": "s", "title": {"ja": "S"}, "questions": [question]}
    document = {"format": "madoguchi-form", "format_version": 1, "definition": {"steps": [step]}}
    return json.dumps(document).encode()


def small_form(client: Client, procedure: Procedure) -> None:
    """Step 1 asks whether the resident moved and how many people; step 2 asks the former
    address only of those who moved."""
    add_step(client, procedure, "about", "申請者について")
    add_question(
        client,
        procedure,
        "about",
        "yes_no",
        {"key": "moved", "label_ja": "転居しましたか", "required": "on"},
    )
    add_question(
        client,
        procedure,
        "about",
        "number",
        {"key": "people", "label_ja": "人数", "min": "1", "max": "9"},
    )
    add_step(client, procedure, "more", "転居について")
    add_question(
        client,
        procedure,
        "more",
        "text",
        {
            "key": "old_address",
            "label_ja": "前の住所",
            "show_if_question": "moved",
            "show_if_values": "yes",
        },
    )


def keys(procedure: Procedure, step: int = 0) -> list[str]:
    return [q["key"] for q in definition(procedure)["steps"][step]["questions"]]


def test_reordering_and_removing_keep_conditions_working(staff, procedure) -> None:
    small_form(staff, procedure)
    change = base(procedure) + "change/"
    staff.post(change, {"action": "up", "step": "about", "key": "people"})
    assert keys(procedure) == ["people", "moved"]
    staff.post(change, {"action": "down", "step": "about", "key": "people"})
    assert keys(procedure) == ["moved", "people"]
    # Moving the step with the condition above the question it looks at is refused, saying why.
    response = staff.post(change, {"action": "up", "step": "more"}, follow=True)
    assert (
        "質問「前の住所」 の表示条件の質問「moved」は、前のステップにありません。"
        in response.content.decode()
    )
    assert [s["key"] for s in definition(procedure)["steps"]] == ["about", "more"]
    # So is removing that question while the condition needs it; once the dependent question is
    # gone it can be removed.
    response = staff.post(
        change, {"action": "remove", "step": "about", "key": "moved"}, follow=True
    )
    assert "前のステップにありません" in response.content.decode()
    assert keys(procedure) == ["moved", "people"]
    staff.post(change, {"action": "remove", "step": "more", "key": "old_address"})
    staff.post(change, {"action": "remove", "step": "about", "key": "moved"})
    assert keys(procedure) == ["people"]
    assert keys(procedure, 1) == []


def test_publishing_twice_in_a_row_makes_one_version(staff, procedure) -> None:
    small_form(staff, procedure)
    staff.post(base(procedure) + "publish/")
    again = staff.post(base(procedure) + "publish/", follow=True)
    assert "公開する下書きがありません。" in again.content.decode()
    assert list(procedure.form_versions.values_list("number", flat=True)) == [1]


def test_publishing_needs_a_question_in_every_step(staff, procedure) -> None:
    small_form(staff, procedure)
    add_step(staff, procedure, "empty", "空のステップ")
    response = staff.post(base(procedure) + "publish/", follow=True)
    assert "ステップ「空のステップ」に質問がありません。" in response.content.decode()
    assert not FormVersion.objects.filter(procedure=procedure).exists()
    procedure.refresh_from_db()
    assert not procedure.online_available


def test_renaming_a_key_carries_the_conditions_on_it(staff, procedure) -> None:
    small_form(staff, procedure)
    response = staff.post(
        base(procedure) + "steps/about/questions/moved/",
        {"key": "has_moved", "label_ja": "転居しましたか", "required": "on"},
    )
    assert response.status_code == 302
    assert definition(procedure)["steps"][1]["questions"][0]["show_if"] == {
        "question": "has_moved",
        "equals": "yes",
    }


def test_bad_input_gets_specific_errors_in_the_staff_language(staff, procedure) -> None:
    small_form(staff, procedure)
    url = base(procedure) + "steps/about/questions/new/?type=text"
    response = staff.post(
        url,
        {"key": "Moved!", "label_ja": "", "min_length": "9", "max_length": "3", "pattern": "([a-z"},
    )
    assert response.status_code == 200
    assert errors(response) == [
        "キーは半角英小文字で始め、半角英小文字・数字と「_」だけにしてください（「_」は続けず、最後にも置きません）。",
        "「項目名（日本語）」を入力してください。",
        "上限は下限以上にしてください。",
        "正規表現として正しくありません。括弧（ ）や [ ] の対応を確かめてください。",
    ]
    # A condition may only look at an earlier step (a step's page is shown whole).
    response = staff.post(
        url,
        {"key": "people", "label_ja": "x", "show_if_question": "moved", "show_if_values": "yes"},
    )
    assert errors(response) == [
        "キー「people」はこのフォームで既に使われています。",
        "表示条件には、前のステップの質問を選んでください。",
    ]
    english = staff.post("/en" + url, {"key": "people", "label_ja": "x"})
    assert errors(english) == ["The key “people” is already used in this form."]
    choices = staff.post(
        base(procedure) + "steps/about/questions/new/?type=choice",
        {"key": "c", "label_ja": "x", "choices": "a | A\nb\n"},
    )
    assert errors(choices) == ["2行目：「値 | 日本語 | 英語」の形で書いてください。"]
    assert keys(procedure) == ["moved", "people"]


def test_export_and_import_round_trip_to_another_procedure(staff, procedure, kyoto) -> None:
    small_form(staff, procedure)
    staff.post(base(procedure) + "publish/")
    exported = staff.get(base(procedure) + "versions/1/export/")
    assert exported["Content-Disposition"] == f'attachment; filename="{CODE}-v1.json"'
    document = json.loads(exported.content)
    assert document["format"] == "madoguchi-form"
    assert document["format_version"] == 1
    assert document["version"] == 1
    other = Procedure.objects.get(municipality=kyoto, code="koki-insurance-card-reissue")
    upload = SimpleUploadedFile("form.json", exported.content, content_type="application/json")
    response = staff.post(base(other) + "import/", {"file": upload})
    assert response.status_code == 302
    assert definition(other) == FormVersion.objects.get(procedure=procedure).schema
    assert AuditEntry.objects.filter(action="import_form", target_id=str(other.pk)).exists()
    draft_export = json.loads(staff.get(base(other) + "export/").content)
    assert draft_export["version"] is None
    assert draft_export["definition"] == document["definition"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "JSONとして読めません（1行目付近）。"),
        (
            b'{"format": "logoform"}',
            "窓口のフォームの書き出しファイルではありません（「format」が違います）。",
        ),
        (
            json.dumps(
                {
                    "format": "madoguchi-form",
                    "format_version": 1,
                    "definition": {
                        "steps": [
                            {
                                "key": "s",
                                "title": {"ja": "S"},
                                "questions": [
                                    {
                                        "key": "a",
                                        "type": "text",
                                        "label": {"ja": "A"},
                                        "show_if": {"question": "b", "equals": "x"},
                                    },
                                    {"key": "b", "type": "text", "label": {"ja": "B"}},
                                ],
                            }
                        ]
                    },
                }
            ).encode(),
            "質問「A」 の表示条件の質問「b」は、前のステップにありません。",
        ),
        (
            json.dumps(
                {"format": "madoguchi-form", "format_version": 1, "definition": {"steps": [7]}}
            ).encode(),
            "定義の構造が正しくありません。",
        ),
        (
            exported_with({"key": "n", "type": "number", "label": {"ja": "人数"}, "min": "1"}),
            "質問「人数」 の「min」は整数にしてください。",
        ),
        (
            exported_with({"key": "f", "type": "file", "label": {"ja": "書類"}, "accept": ["exe"]}),
            "質問「書類」 の受け付けるファイルの種類「exe」は使えません。",
        ),
    ],
)
def test_an_invalid_import_changes_nothing_and_says_why(staff, procedure, content, message) -> None:
    small_form(staff, procedure)
    before = definition(procedure)
    upload = SimpleUploadedFile("form.json", content, content_type="application/json")
    response = staff.post(base(procedure) + "import/", {"file": upload})
    assert response.status_code == 200
    assert errors(response) == [message]
    assert definition(procedure) == before


def test_a_clerk_and_an_admin_of_another_function_cannot_edit(kyoto, procedure) -> None:
    clerk = flows.staff_client(
        factories.staff_user(kyoto, "nhi-clerk", "nakagyo-insurance-pension")
    )
    other_admin = flows.staff_client(
        factories.staff_user(
            kyoto, "child-admin", "nakagyo-child-support", StaffMembership.Role.ADMIN
        )
    )
    for client in (clerk, other_admin):
        assert procedure.name_ja not in client.get("/staff/forms/").content.decode()
        assert client.get(base(procedure)).status_code == 404
        assert client.post(base(procedure) + "publish/").status_code == 404


def test_preview_uses_the_resident_step_page_and_stores_nothing(staff, procedure) -> None:
    small_form(staff, procedure)
    page = staff.get(base(procedure) + "preview/").content.decode()
    assert "転居しましたか" in page
    assert "次へ進む" in page  # the portal's own step template
    invalid = staff.post(base(procedure) + "preview/?step=about", {"people": "99"})
    assert "「人数」は1以上9以下の数字で入力してください。" in invalid.content.decode()
    valid = staff.post(base(procedure) + "preview/?step=about", {"moved": "yes", "people": "2"})
    assert valid["Location"] == base(procedure) + "preview/?step=more"
    # The condition on step 1's answer holds: the former address is asked.
    assert "前の住所" in staff.get(valid["Location"]).content.decode()
    assert not FormVersion.objects.filter(procedure=procedure).exists()
    assert not Submission.objects.exists()


def test_builder_pages_in_english_show_no_japanese_but_the_form_itself(staff, procedure) -> None:
    small_form(staff, procedure)
    staff.post(base(procedure) + "publish/")
    staff.get(base(procedure))  # shows (and so clears) the Japanese success messages
    # What staff typed, and the example of a Japanese choice label in the choices' help.
    labels = ["申請者について", "転居について", "転居しましたか", "人数", "前の住所", "自動車"]
    for path in [
        "/staff/forms/",
        base(procedure),
        base(procedure) + "steps/new/",
        base(procedure) + "steps/about/",
        base(procedure) + "steps/about/questions/moved/",
        base(procedure) + "steps/more/questions/new/?type=choice",
        base(procedure) + "import/",
    ]:
        response = staff.get("/en" + path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert japanese_outside_lang_ja(page, allowed=[procedure.name_ja, *labels]) == [], path


def test_two_admins_editing_at_once_keep_both_changes(staff, procedure, kyoto) -> None:
    """Each save applies its own change to the draft as it is then, so the 管理者 of another
    ward's 保険年金課, saving a moment later, does not undo the first one's change."""
    small_form(staff, procedure)
    other = flows.staff_client(
        factories.staff_user(
            kyoto, "kita-nhi-admin", "kita-insurance-pension", StaffMembership.Role.ADMIN
        )
    )
    people = base(procedure) + "steps/about/questions/people/"
    moved = base(procedure) + "steps/about/questions/moved/"
    assert staff.get(people).status_code == 200
    assert other.get(moved).status_code == 200
    staff.post(people, {"key": "people", "label_ja": "世帯の人数", "min": "1", "max": "9"})
    other.post(moved, {"key": "moved", "label_ja": "引っ越しましたか", "required": "on"})
    labels = [q["label"]["ja"] for q in definition(procedure)["steps"][0]["questions"]]
    assert labels == ["引っ越しましたか", "世帯の人数"]
    assert FormDraft.objects.get(procedure=procedure).updated_by.username == "kita-nhi-admin"

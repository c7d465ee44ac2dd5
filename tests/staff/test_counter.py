"""書かない窓口: a clerk finds the resident, starts a procedure with everything prefilled, asks
only what is missing, and the resident confirms; the record says staff-assisted and by whom."""

import re

from django.test import Client

from madoguchi.audit.models import AuditEntry
from madoguchi.datause.models import DataUse
from madoguchi.submissions.models import Submission
from tests import onestop
from tests.support import japanese_outside_lang_ja


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_counter_flow_end_to_end(kyoto, family, resident) -> None:
    onestop.publish(kyoto)
    clerk = onestop.section_clerk(kyoto)
    counter = _client(clerk)
    found = counter.get("/staff/counter/", {"kana": "ヤマダ"})
    page = found.content.decode()
    assert "3人が見つかりました" in page
    assert "山田 花子" in page
    audit = AuditEntry.objects.filter(action="view_personal_data", actor_id=clerk.pk)
    assert audit.filter(detail__lookup="counter_search").exists()
    assert "ヤマダ" not in str(list(audit.values_list("detail", flat=True)))  # no search terms

    person_page = counter.get(f"/staff/counter/people/{family[0].pk}/").content.decode()
    assert "子育て支援医療費の受給者証交付申請" in person_page
    assert DataUse.objects.filter(person=family[0], kind="counter_lookup").count() == 1

    step = counter.post(
        f"/staff/counter/people/{family[0].pk}/start/", {"procedure": onestop.CODE}
    )["Location"]
    page = counter.get(step).content.decode()
    assert "市が保有する情報から入力しました" in page
    assert 'name="name"' not in page  # the registry answered it: not asked
    assert 'name="phone"' in page  # only what is missing
    following = counter.post(step, {"phone": "075-222-3111"})["Location"]
    confirm = counter.post(following, {"members": [str(family[2].pk)], "insured": "yes"})[
        "Location"
    ]
    assert confirm.endswith("/confirm/")
    refused = counter.post(confirm, {})
    assert "申請者ご本人に内容を確認していただき" in refused.content.decode()
    done = counter.post(confirm, {"confirmed": "on"})["Location"]
    page = counter.get(done).content.decode()
    reference = re.search(r"受付番号：([A-Z0-9-]+)", page).group(1)

    submission = Submission.objects.get(reference=reference)
    assert submission.channel == Submission.Channel.COUNTER
    assert submission.assisted_by == clerk
    assert submission.applicant == resident  # the resident's own account holds it
    assert AuditEntry.objects.get(action="submit", target_id=str(submission.pk)).actor_id == (
        clerk.pk
    )
    # A resent confirmation makes no second application.
    assert counter.post(confirm, {"confirmed": "on"})["Location"] == done
    assert Submission.objects.filter(status="submitted").count() == 1
    # The resident sees the counter's reads in their data-use log.
    log = _client(resident).get(f"/applications/{reference}/").content.decode()
    assert "窓口の職員" in log
    assert "窓口での本人確認と申請の補助" in _client(resident).get("/data-use/").content.decode()


def test_a_person_without_an_account_gets_one_for_the_counter(kyoto, family) -> None:
    onestop.publish(kyoto)
    counter = _client(onestop.section_clerk(kyoto))
    step = counter.post(
        f"/staff/counter/people/{family[1].pk}/start/", {"procedure": onestop.CODE}
    )["Location"]
    draft = Submission.objects.get(uuid=step.split("/")[4])
    assert draft.applicant.person == family[1]
    assert not draft.applicant.has_usable_password()


def test_another_clerk_cannot_open_the_counter_application(kyoto, family, clerk) -> None:
    onestop.publish(kyoto)
    counter = _client(onestop.section_clerk(kyoto))
    step = counter.post(
        f"/staff/counter/people/{family[0].pk}/start/", {"procedure": onestop.CODE}
    )["Location"]
    assert _client(clerk).get(step).status_code == 404


def test_a_bad_birth_date_gets_a_specific_message(kyoto, clerk) -> None:
    page = _client(clerk).get("/staff/counter/", {"birth_date": "昭和"}).content.decode()
    assert "生年月日は 1985-04-01 のように入力してください。" in page
    empty = _client(clerk).get("/staff/counter/", {"name": ""}).content.decode()
    assert "いずれかを入力してください" in empty


def test_the_counter_and_the_data_use_log_in_english(kyoto, family, resident) -> None:
    onestop.publish(kyoto)
    allowed = [v for p in family for v in (p.full_name, p.full_name_kana, p.household.address)]
    counter = _client(onestop.section_clerk(kyoto))
    pages = [f"/en/staff/counter/?kana={'ヤマダ'}", f"/en/staff/counter/people/{family[0].pk}/"]
    step = counter.post(
        f"/en/staff/counter/people/{family[0].pk}/start/", {"procedure": onestop.CODE}
    )["Location"]
    following = counter.post(step, {"phone": "075-222-3111"})["Location"]
    confirm = counter.post(following, {"members": [str(family[2].pk)], "insured": "yes"})[
        "Location"
    ]
    pages += [step, following, confirm]
    for url in pages:
        page = counter.get(url).content.decode()
        assert '<html lang="en">' in page, url
        assert japanese_outside_lang_ja(page, allowed=allowed) == [], url
    done = counter.post(confirm, {"confirmed": "on"})["Location"]
    assert japanese_outside_lang_ja(counter.get(done).content.decode(), allowed=allowed) == []
    log = _client(resident).get("/en/data-use/").content.decode()
    assert "Identity check and help with an application at the counter" in log
    assert japanese_outside_lang_ja(log, allowed=allowed) == []


def test_the_search_takes_names_as_people_type_them(kyoto, family, neighbour, clerk) -> None:
    counter = _client(clerk)
    for query in ({"kana": "やまだ はなこ"}, {"name": "山田　花子"}, {"kana": "ﾔﾏﾀﾞﾊﾅｺ"}):
        page = counter.get("/staff/counter/", query).content.decode()
        assert "1人が見つかりました" in page, query
        assert "山田 花子" in page
    by_birth = counter.get("/staff/counter/", {"birth_date": "1970/01/20"}).content.decode()
    assert "鈴木 次郎" in by_birth
    assert "山田" not in by_birth


def test_a_prefilled_answer_changed_at_the_counter_is_flagged(kyoto, family, resident) -> None:
    onestop.publish(kyoto)
    clerk = onestop.section_clerk(kyoto)
    counter = _client(clerk)
    step = counter.post(
        f"/staff/counter/people/{family[0].pk}/start/", {"procedure": onestop.CODE}
    )["Location"]
    following = counter.post(step, {"phone": "075-222-3111"})["Location"]
    confirm = counter.post(following, {"members": [str(family[2].pk)], "insured": "yes"})[
        "Location"
    ]
    assert f'href="{step}?change=1"' in counter.get(confirm).content.decode()
    changed = {"name": "山田 太朗", "kana": "ヤマダ タロウ", "phone": "075-222-3111"}
    assert counter.post(f"{step}?change=1", changed)["Location"] == confirm
    counter.post(confirm, {"confirmed": "on"})
    submission = Submission.objects.get(status="submitted")
    case_page = counter.get(f"/staff/cases/{submission.case.pk}/").content.decode()
    assert "市が保有する情報から変更された回答" in case_page
    assert "山田 太朗" in case_page
    assert "（受付補助：nakagyo-pension-clerk）" in case_page

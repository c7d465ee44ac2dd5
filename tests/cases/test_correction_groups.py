"""A correction (補正) of a repeating group: staff see every item before and after, not only
the last one."""

import re

import pytest

from madoguchi.cases.models import Case
from tests import onestop
from tests.flows import case_action, staff_client


@pytest.fixture
def case(kyoto, family, resident_client) -> Case:
    procedure = onestop.publish(kyoto)
    onestop.add_carers_step(procedure)
    step = resident_client.post(f"/procedures/{onestop.CODE}/apply/")["Location"]
    step = resident_client.post(step, {"phone": "075-222-3111"})["Location"]
    step = resident_client.post(step, {"members": [str(family[2].pk)], "insured": "yes"})
    two = {"carers__count": "2", "carers__0__carer_name": "山田 花子"}
    check = resident_client.post(step["Location"], {**two, "carers__1__carer_name": "山田 次郎"})
    assert check.status_code == 302, check.content.decode()
    resident_client.post(check["Location"])
    return Case.objects.get()


def test_staff_see_each_item_of_a_corrected_group(kyoto, case, resident_client) -> None:
    staff = staff_client(onestop.section_clerk(kyoto))
    case_action(staff, case.pk, "start_review")
    message = {"message": "2人目の見守る人の氏名を確かめてください。", "questions": ["carers"]}
    case_action(staff, case.pk, "correction", message)
    corrected = resident_client.post(
        f"/applications/{case.reference}/correction/",
        {
            "carers__count": "3",
            "carers__0__carer_name": "山田 花子",
            "carers__1__carer_name": "山田 二郎",
            "carers__2__carer_name": "山田 一郎",
        },
    )
    assert corrected.status_code == 302, corrected.content.decode()

    page = staff.get(f"/staff/cases/{case.pk}/").content.decode()
    table = page.split("補正前と補正後", 1)[1].split("</table>", 1)[0]
    rows = [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ][1:]  # after the header
    assert rows == [
        ["見守る人 1：氏名", "山田 花子", "山田 花子"],
        ["見守る人 2：氏名", "山田 次郎", "山田 二郎"],
        ["見守る人 3：氏名", "", "山田 一郎"],
    ]

import pytest

from madoguchi.organizations import codes
from madoguchi.organizations.models import OrgUnit

KYOTO_WARDS = {
    "北区": "261017",
    "上京区": "261025",
    "左京区": "261033",
    "中京区": "261041",
    "東山区": "261050",
    "下京区": "261068",
    "南区": "261076",
    "右京区": "261084",
    "伏見区": "261092",
    "山科区": "261106",
    "西京区": "261114",
}


@pytest.mark.parametrize("code", ["261009", "130001", "011002", *KYOTO_WARDS.values()])
def test_valid_local_government_codes(code: str) -> None:
    assert codes.is_valid(code)


@pytest.mark.parametrize("code", ["261008", "26100", "2610090", "26100X"])
def test_invalid_local_government_codes(code: str) -> None:
    assert not codes.is_valid(code)


def test_kyoto_has_its_eleven_wards_with_their_codes(kyoto) -> None:
    assert kyoto.code == "261009"
    wards = {
        unit.name_ja.removesuffix("役所"): unit.local_government_code
        for unit in OrgUnit.objects.filter(municipality=kyoto, kind=OrgUnit.Kind.WARD)
    }
    assert wards == KYOTO_WARDS


def test_every_ward_has_a_citizen_services_section(kyoto) -> None:
    for ward in OrgUnit.objects.filter(municipality=kyoto, kind=OrgUnit.Kind.WARD):
        section = ward.children.get(function="citizen_services")
        assert section.full_name == f"{ward.name_ja} 市民窓口課"

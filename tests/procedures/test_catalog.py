from madoguchi.procedures.models import Procedure, StandardDomain
from madoguchi.procedures.selectors import catalog, responsible_section
from tests import factories


def test_catalog_covers_the_twenty_standardization_domains(kyoto) -> None:
    domains = set(Procedure.objects.filter(municipality=kyoto).values_list("domain", flat=True))
    assert domains == set(StandardDomain.values) - {StandardDomain.OTHER}


def test_catalog_holds_the_certificates_and_national_priority_procedures(kyoto) -> None:
    names = set(Procedure.objects.values_list("name_ja", flat=True))
    for certificate in ["住民票の写し", "印鑑登録証明書", "課税・非課税証明書", "戸籍証明書"]:
        assert any(certificate in name for name in names), certificate
    childcare = Procedure.objects.filter(national_priority="childcare").count()
    care = Procedure.objects.filter(national_priority="long_term_care").count()
    assert childcare >= 10
    assert care == 11


def test_fees_and_barriers_of_the_resident_record_copy(kyoto) -> None:
    procedure = Procedure.objects.get(code="juminhyo-copy")
    assert procedure.fee_for(copies=3) == 900
    assert procedure.collects_fee
    assert procedure.issues_document
    assert procedure.online_available
    assert procedure.legal_basis == "住民基本台帳法第12条"


def test_search_finds_procedures_in_japanese_and_english(kyoto) -> None:
    assert [p.code for p in catalog(kyoto, query="住民票")] == ["juminhyo-copy"]
    assert "care-need-certification" in [p.code for p in catalog(kyoto, query="long-term care")]


def test_ward_handled_procedures_go_to_the_residents_ward(kyoto) -> None:
    procedure = Procedure.objects.get(code="juminhyo-copy")
    section = responsible_section(procedure, ward=factories.ward(kyoto, "fushimi"))
    assert section.full_name == "伏見区役所 市民窓口課"
    central = Procedure.objects.get(code="absentee-voting")
    assert responsible_section(central, ward=None).name_ja == "選挙課"


def test_a_nul_byte_in_a_search_is_no_match_not_an_error(kyoto) -> None:
    assert [p.code for p in catalog(kyoto, query="住民票\x00")] == ["juminhyo-copy"]
    assert list(catalog(kyoto, domain="\x00")) != []

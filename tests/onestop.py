"""A procedure whose form takes answers from the prefill sources (once-only), for the tests of
prefill, the data-use log, the counter and the API."""

from madoguchi.forms import services as form_services
from madoguchi.procedures.models import Procedure
from tests import factories

CODE = "child-medical-subsidy"

SCHEMA = {
    "steps": [
        {
            "key": "applicant",
            "title": {"ja": "申請者", "en": "Applicant"},
            "questions": [
                {
                    "key": "name",
                    "type": "text",
                    "label": {"ja": "氏名", "en": "Name"},
                    "prefill": "registry.full_name",
                },
                {
                    "key": "kana",
                    "type": "text",
                    "label": {"ja": "氏名（カナ）", "en": "Name (kana)"},
                    "prefill": "registry.full_name_kana",
                },
                {
                    "key": "phone",
                    "type": "text",
                    "label": {"ja": "電話番号", "en": "Phone"},
                    "prefill": "submissions.phone",
                },
            ],
        },
        {
            "key": "children",
            "title": {"ja": "お子さん", "en": "Children"},
            "questions": [
                {
                    "key": "members",
                    "type": "multi_choice",
                    "label": {"ja": "お子さん", "en": "Children"},
                    "choices_source": "registry.household_members",
                },
                {
                    "key": "insured",
                    "type": "yes_no",
                    "label": {"ja": "健康保険に加入していますか", "en": "Insured?"},
                },
            ],
        },
    ]
}


def publish(kyoto) -> Procedure:
    procedure = Procedure.objects.get(municipality=kyoto, code=CODE)
    form_services.publish(procedure, SCHEMA)
    return procedure


def section_clerk(kyoto):
    """A clerk of 中京区役所 保険年金課, where the 山田 family's subsidy applications go."""
    return factories.staff_user(kyoto, "nakagyo-pension-clerk", "nakagyo-insurance-pension")

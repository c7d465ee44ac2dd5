"""A procedure whose form takes answers from the prefill sources (once-only), for the tests of
prefill, the data-use log, the counter and the API."""

from madoguchi.forms import selectors as form_selectors
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


# A repeating group, appended to a procedure's form by ``add_carers_step``.
CARERS_STEP = {
    "key": "carers",
    "title": {"ja": "お子さんを見守る人", "en": "Who looks after the child"},
    "questions": [
        {
            "key": "carers",
            "type": "group",
            "label": {"ja": "見守る人", "en": "Carers"},
            "item_label": {"ja": "見守る人", "en": "Carer"},
            "min_items": 1,
            "max_items": 3,
            "questions": [
                {"key": "carer_name", "type": "text", "label": {"ja": "氏名", "en": "Name"}},
            ],
        }
    ],
}


def add_carers_step(procedure: Procedure) -> None:
    """Publish the procedure's current form again with the carers step at its end."""
    definition = form_selectors.current_version(procedure).schema
    form_services.publish(procedure, {**definition, "steps": [*definition["steps"], CARERS_STEP]})


def publish(kyoto) -> Procedure:
    procedure = Procedure.objects.get(municipality=kyoto, code=CODE)
    form_services.publish(procedure, SCHEMA)
    return procedure


def section_clerk(kyoto):
    """A clerk of 中京区役所 保険年金課, where the 山田 family's subsidy applications go."""
    return factories.staff_user(kyoto, "nakagyo-pension-clerk", "nakagyo-insurance-pension")

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from madoguchi.attachments import selectors as attachments
from madoguchi.cases import selectors as cases
from madoguchi.cases.models import Case
from madoguchi.forms import engine
from madoguchi.forms.schema import Step
from madoguchi.forms.sources import ChoiceContext
from madoguchi.organizations.models import Municipality, OrgUnit

from .models import Bundle, BundleApplication, BundleItem


def published(municipality: Municipality) -> QuerySet[Bundle]:
    return Bundle.objects.filter(municipality=municipality, active=True).prefetch_related(
        "components__procedure"
    )


def published_bundle(municipality: Municipality, slug: str) -> Bundle:
    return get_object_or_404(published(municipality), slug=slug)


def all_bundles(municipality: Municipality) -> QuerySet[Bundle]:
    """Every bundle of the municipality, unpublished ones included (for staff)."""
    return Bundle.objects.filter(municipality=municipality).prefetch_related(
        "components__procedure__responsible_section"
    )


def ward_section_names(municipality: Municipality) -> dict[str, str]:
    """The name of each ward section by its function (every ward has the same sections)."""
    return {
        unit.function: unit.name
        for unit in OrgUnit.objects.filter(
            municipality=municipality, kind=OrgUnit.Kind.SECTION, parent__kind=OrgUnit.Kind.WARD
        )
    }


def own_draft(user: Any, draft_uuid: Any) -> BundleApplication:
    return get_object_or_404(
        BundleApplication.objects.select_related("bundle"),
        uuid=draft_uuid,
        applicant=user,
        status=BundleApplication.Status.DRAFT,
    )


def own_application(user: Any, application_uuid: Any) -> BundleApplication:
    return get_object_or_404(
        BundleApplication.objects.select_related("bundle"),
        uuid=application_uuid,
        applicant=user,
    )


def counter_bundle(clerk: Any, application_uuid: Any) -> BundleApplication:
    """A bundle a clerk is filling in with a resident at the counter: only theirs."""
    return get_object_or_404(
        BundleApplication.objects.select_related("bundle", "person"),
        uuid=application_uuid,
        assisted_by=clerk,
    )


def own_submitted_bundles(user: Any) -> QuerySet[BundleApplication]:
    return BundleApplication.objects.filter(
        applicant=user, status=BundleApplication.Status.SUBMITTED
    ).select_related("bundle")


@dataclass(frozen=True)
class ItemStatus:
    item: BundleItem
    case: Case | None


def item_statuses(application: BundleApplication) -> list[ItemStatus]:
    """Each procedure of a submitted bundle with its application and case, in bundle order."""
    items = application.items.select_related("procedure", "submission").order_by("position")
    return [
        ItemStatus(item, cases.case_for_submission(item.submission) if item.submission else None)
        for item in items
    ]


def unchanged_prefills(application: BundleApplication) -> set[str]:
    """The questions still holding the value a prefill source gave."""
    return engine.unchanged_prefills(application.answers, application.prefilled)


def split_prefilled(
    application: BundleApplication, step: Step, *, change: bool
) -> tuple[Step, list[engine.AnswerRow]]:
    """See ``forms.engine.split_prefilled``."""
    return engine.split_prefilled(
        step,
        application.answers,
        application.prefilled,
        ChoiceContext(person=application.person, attachments=attachments.names_for(application)),
        change=change,
    )

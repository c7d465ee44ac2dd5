from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from madoguchi.accounts.models import StaffMembership
from madoguchi.procedures.models import Procedure

from .models import FormDraft, FormVersion


def current_version(procedure: Procedure) -> FormVersion | None:
    """The newest published version, which new applications are filled with."""
    version = procedure.form_versions.order_by("-number").first()
    if version is not None:
        version.procedure = procedure  # the caller's, not read again
    return version


def editable_procedures(user: Any) -> QuerySet[Procedure]:
    """The procedures whose form ``user`` may build: those of a section where they are 管理者
    (for a ward-handled procedure, a section with its function in any ward), or every
    procedure of their municipality for a municipality administrator."""
    if not (user.is_authenticated and user.is_city_staff and user.municipality_id):
        return Procedure.objects.none()
    procedures = Procedure.objects.filter(municipality_id=user.municipality_id)
    if user.is_superuser:
        return procedures.order_by("code")
    admin_of = StaffMembership.objects.filter(user=user, role=StaffMembership.Role.ADMIN)
    return procedures.filter(
        Q(handled_at_ward=False, responsible_section__in=admin_of.values("section"))
        | Q(
            handled_at_ward=True,
            responsible_function__in=admin_of.exclude(section__function="").values(
                "section__function"
            ),
        )
    ).order_by("code")


def procedure_for_builder(user: Any, procedure_id: int) -> Procedure:
    """A procedure ``user`` may build the form of; any other is a 404, as if it did not exist."""
    procedure = editable_procedures(user).filter(pk=procedure_id).first()
    if procedure is None:
        raise Http404
    return procedure


def draft_of(procedure: Procedure) -> FormDraft | None:
    return FormDraft.objects.filter(procedure=procedure).select_related("updated_by").first()


def working_definition(procedure: Procedure) -> dict[str, Any]:
    """What the builder edits: the draft, else a copy of the current version, else nothing."""
    draft = draft_of(procedure)
    if draft is not None:
        return draft.schema
    version = current_version(procedure)
    return version.schema if version else {"steps": []}


def versions(procedure: Procedure) -> QuerySet[FormVersion]:
    return procedure.form_versions.select_related("published_by").order_by("-number")


def version(procedure: Procedure, number: int) -> FormVersion:
    found = procedure.form_versions.filter(number=number).first()
    if found is None:
        raise Http404
    return found

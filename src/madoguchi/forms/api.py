from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema

from madoguchi.organizations.selectors import home_municipality
from madoguchi.procedures.models import Procedure
from madoguchi.procedures.selectors import get_procedure

from .selectors import current_version

router = Router(tags=["forms"])


class FormOut(Schema):
    procedure_code: str
    version: int
    definition: dict[str, Any]


class Detail(Schema):
    detail: str


@router.get(
    "/{procedure_code}",
    response={200: FormOut, 404: Detail},
    summary="The current form definition of an online procedure",
)
def read_form(request: HttpRequest, procedure_code: str = Path(..., max_length=100)) -> FormOut:
    try:
        procedure = get_procedure(home_municipality(), procedure_code)
    except Procedure.DoesNotExist as missing:
        raise Http404 from missing
    version = current_version(procedure)
    if version is None or not procedure.online_available:
        raise Http404
    return FormOut(procedure_code=procedure.code, version=version.number, definition=version.schema)

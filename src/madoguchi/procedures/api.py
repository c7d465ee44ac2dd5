from django.http import Http404, HttpRequest
from ninja import Router, Schema

from madoguchi.core.i18n import localized
from madoguchi.organizations.selectors import home_municipality

from .models import Procedure
from .selectors import catalog, get_procedure

router = Router(tags=["procedures"])


class ProcedureOut(Schema):
    code: str
    name: str
    name_ja: str
    summary: str
    domain: str
    online_available: bool
    fee_kind: str
    fee_yen: int
    standard_processing_days: int | None
    legal_basis: str

    @staticmethod
    def resolve_name(procedure: Procedure) -> str:
        return localized(procedure, "name")

    @staticmethod
    def resolve_summary(procedure: Procedure) -> str:
        return localized(procedure, "summary")


@router.get("/", response=list[ProcedureOut], summary="List the catalog")
def list_procedures(request: HttpRequest, q: str = "", domain: str = "") -> list[Procedure]:
    return list(catalog(home_municipality(), query=q[:100], domain=domain[:40]))


class NotFound(Schema):
    detail: str


@router.get("/{code}", response={200: ProcedureOut, 404: NotFound}, summary="One procedure")
def read_procedure(request: HttpRequest, code: str) -> Procedure:
    try:
        return get_procedure(home_municipality(), code)
    except Procedure.DoesNotExist as missing:
        raise Http404 from missing

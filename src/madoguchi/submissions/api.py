"""The resident's applications as JSON: start or resume a draft, save answers, submit (with an
``Idempotency-Key``), read one's own applications. Authenticated by the resident's session (the
same login as the portal, CSRF-checked); anyone else gets 401, and another's records 404."""

import uuid
from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Router, Schema, Status
from ninja.security import SessionAuth

from madoguchi.accounts import assurance
from madoguchi.forms import selectors as form_selectors
from madoguchi.organizations.selectors import home_municipality
from madoguchi.procedures.models import Procedure

from . import selectors, services
from .guards import SubmissionBlocked
from .models import Submission


class ResidentSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated and user.is_resident else None


router = Router(tags=["applications"], auth=ResidentSession())
# Every operation may answer 401 (no resident session) or 403 (a session without its CSRF token,
# or a login below the procedure's assurance level).

KEY = Header(
    "",
    alias="Idempotency-Key",
    max_length=200,
    description="The same key again returns the first request's result; nothing is made twice.",
)


class Detail(Schema):
    detail: str


class Invalid(Schema):
    detail: str
    errors: dict[str, list[str]]


class ApplicationOut(Schema):
    id: uuid.UUID
    procedure_code: str
    status: str
    channel: str
    form_version: int
    answers: dict[str, Any]
    prefilled: list[str] = Field(description="Questions answered from what the city holds.")
    reference: str | None
    submitted_at: datetime | None


def _out(submission: Submission) -> ApplicationOut:
    return ApplicationOut(
        id=submission.uuid,
        procedure_code=submission.procedure.code,
        status=submission.status,
        channel=submission.channel,
        form_version=submission.form_version.number,
        answers=submission.answers,
        prefilled=sorted(submission.prefilled),
        reference=submission.reference,
        submitted_at=submission.submitted_at,
    )


class DraftIn(Schema):
    procedure_code: str = Field(..., max_length=100)


class AnswersIn(Schema):
    answers: dict[str, Any]


class ApplicationIn(Schema):
    procedure_code: str = Field(..., max_length=100)
    answers: dict[str, Any] = Field(
        description="Every answer the city does not hold already (those are prefilled)."
    )


def _assurance_refused(request: HttpRequest, procedure: Procedure) -> Status | None:
    if assurance.at_least(assurance.current(request), procedure.minimum_assurance):
        return None
    return Status(403, Detail(detail=_("この手続には、より確かな本人確認でのログインが必要です。")))


def _online_form(code: str) -> tuple[Procedure, Any]:
    municipality = home_municipality()
    procedure = Procedure.objects.filter(
        municipality=municipality, code=code, online_available=True
    ).first()
    form_version = form_selectors.current_version(procedure) if procedure else None
    if form_version is None:
        raise Http404
    procedure.municipality = municipality  # read just now, not again
    return procedure, form_version


@router.post(
    "/drafts",
    response={201: ApplicationOut, 401: Detail, 403: Detail, 404: Detail},
    summary="Start (or resume) a draft, prefilled from what the city holds",
)
def create_draft(request: HttpRequest, body: DraftIn, idempotency_key: str = KEY) -> Any:
    procedure, form_version = _online_form(body.procedure_code)
    refused = _assurance_refused(request, procedure)
    if refused:
        return refused
    draft = services.start_draft(
        applicant=request.user,
        form_version=form_version,
        language=get_language() or "ja",
        idempotency_key=idempotency_key,
    )
    return Status(201, _out(draft))


def _own(request: HttpRequest, draft_id: uuid.UUID) -> Submission:
    return get_object_or_404(
        selectors.own_submissions(request.user).select_related("form_version"), uuid=draft_id
    )


@router.get(
    "/drafts/{draft_id}",
    response={200: ApplicationOut, 401: Detail, 403: Detail, 404: Detail},
    summary="One of your drafts",
)
def read_draft(request: HttpRequest, draft_id: uuid.UUID) -> Any:
    return _out(_own(request, draft_id))


@router.patch(
    "/drafts/{draft_id}",
    response={
        200: ApplicationOut,
        401: Detail,
        403: Detail,
        404: Detail,
        409: Detail,
        422: Invalid,
    },
    summary="Save answers; each step they touch is checked as on the portal",
)
def update_draft(request: HttpRequest, body: AnswersIn, draft_id: uuid.UUID) -> Any:
    submission = _own(request, draft_id)
    if not submission.is_draft:
        return Status(409, Detail(detail=_("申請済みのため変更できません。")))
    errors = services.update_draft(submission, body.answers)
    if errors:
        return Status(422, Invalid(detail=_("入力内容に問題があります"), errors=errors))
    submission.refresh_from_db()
    return _out(submission)


@router.post(
    "/drafts/{draft_id}/submit",
    response={
        200: ApplicationOut,
        401: Detail,
        403: Detail,
        404: Detail,
        409: Detail,
        422: Invalid,
    },
    summary="Submit a draft exactly once (retries with the same Idempotency-Key are safe)",
)
def submit_draft(request: HttpRequest, draft_id: uuid.UUID, idempotency_key: str = KEY) -> Any:
    submission = _own(request, draft_id)
    refused = _assurance_refused(request, submission.procedure)
    if refused:
        return refused
    try:
        submitted = services.submit(submission, idempotency_key=idempotency_key)
    except services.IdempotencyConflict:
        return Status(
            409, Detail(detail=_("この Idempotency-Key は別の申請の提出に使われています。"))
        )
    except services.SubmissionInvalid as invalid:
        return Status(422, Invalid(detail=_("入力内容に問題があります"), errors=invalid.errors))
    except SubmissionBlocked as blocked:
        return Status(409, Detail(detail=str(blocked.message)))
    return _out(submitted)


@router.post(
    "/applications",
    response={
        201: ApplicationOut,
        401: Detail,
        403: Detail,
        404: Detail,
        409: Detail,
        422: Invalid,
    },
    summary="Apply in one request: prefilled, checked and submitted exactly once",
)
def apply(request: HttpRequest, body: ApplicationIn, idempotency_key: str = KEY) -> Any:
    procedure, form_version = _online_form(body.procedure_code)
    refused = _assurance_refused(request, procedure)
    if refused:
        return refused
    try:
        submitted = services.apply_at_once(
            applicant=request.user,
            form_version=form_version,
            language=get_language() or "ja",
            answers=body.answers,
            idempotency_key=idempotency_key,
        )
    except services.SubmissionInvalid as invalid:
        return Status(422, Invalid(detail=_("入力内容に問題があります"), errors=invalid.errors))
    except SubmissionBlocked as blocked:
        return Status(409, Detail(detail=str(blocked.message)))
    return Status(201, _out(submitted))


@router.get(
    "/applications",
    response={200: list[ApplicationOut], 401: Detail, 403: Detail},
    summary="Your applications, drafts included",
)
def list_applications(request: HttpRequest) -> Any:
    return [_out(s) for s in selectors.own_submissions(request.user).select_related("form_version")]


@router.get(
    "/applications/{reference}",
    response={200: ApplicationOut, 401: Detail, 403: Detail, 404: Detail},
    summary="One of your submitted applications",
)
def read_application(request: HttpRequest, reference: str = Path(..., max_length=20)) -> Any:
    return _out(selectors.own_submitted(request.user, reference))

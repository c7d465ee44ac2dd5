"""Case handling: the section queue, a case, and the moves staff make on it."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.accounts.permissions import staff_required
from madoguchi.attachments import selectors as attachments
from madoguchi.audit import services as audit
from madoguchi.cases import selectors as cases
from madoguchi.cases import services as case_services
from madoguchi.cases import workflow
from madoguchi.cases.models import Case, Status
from madoguchi.cases.services.decisions import SameDrafter
from madoguchi.organizations.selectors import wards
from madoguchi.payments import selectors as payments
from madoguchi.procedures.models import Procedure
from madoguchi.residents import selectors as registry
from madoguchi.residents.models import Person, formatted_my_number, masked_my_number
from madoguchi.submissions import selectors as submissions

from ..forms import (
    APPROVE,
    AssignForm,
    BulkForm,
    CorrectionForm,
    DecisionForm,
    FeeForm,
    NoteForm,
    QueueFilterForm,
    RevealMyNumberForm,
    RevokeForm,
    SendBackForm,
)

QUEUE_PAGE_SIZE = 50


def _staff_choices(users: Any) -> list[tuple[str, str]]:
    return [(str(u.pk), u.full_name or u.username) for u in users]


@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = QueueFilterForm(
        request.GET or {"status": "open"},
        procedures=[(p.pk, p.name) for p in cases.queue_procedures(user)],
        wards=[(w.pk, w.name) for w in wards(user.municipality)] if user.municipality else [],
        staff=_staff_choices(cases.queue_staff(user)),
    )
    filters = cases.QueueFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = cases.QueueFilter(
            status=data["status"],
            procedure=data["procedure"] or None,
            ward=data["ward"] or None,
            assignee=data["assignee"],
            overdue=data["overdue"],
        )
    page = Paginator(cases.queue(user, filters), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    found = list(page.object_list)
    ids = [c.pk for c in found]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/queue.html",
        {
            "filter_form": form,
            "cases": found,
            "page": page,
            "query": query.urlencode(),
            "sections": cases.staff_sections(user),
            "bulk_form": BulkForm(case_ids=ids),
            "overdue_ids": set(
                cases.queue(user, cases.QueueFilter(status="", overdue=True))
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            ),
        },
    )


class _Forms:
    """The forms a case page shows, each with its own prefix (so that ids never clash)."""

    def __init__(
        self, case: Case, persons: list[Person], data: Any = None, action: str = ""
    ) -> None:
        def bound(name: str) -> Any:
            return data if action == name else None

        self.decision = DecisionForm(bound("decide"), prefix="decide")
        self.send_back = SendBackForm(bound("send_back"), prefix="send_back")
        self.correction = CorrectionForm(
            bound("correction"),
            prefix="correction",
            questions=[(r.question_key, r.label) for r in submissions.answer_rows(case.submission)],
        )
        self.fee = FeeForm(bound("fee"), prefix="fee", initial={"fee_yen": case.fee_yen or None})
        self.assign = AssignForm(
            bound("assign"),
            prefix="assign",
            staff=_staff_choices(cases.section_staff(case)),
            initial={"assignee": case.assignee_id or ""},
        )
        self.note = NoteForm(bound("note"), prefix="note")
        self.revoke = RevokeForm(bound("revoke"), prefix="revoke")
        # One form per person whose 個人番号 the page may show (its own prefix: unique ids).
        chosen = data.get("person", "") if data is not None else ""
        self.reveal = {
            person.pk: RevealMyNumberForm(
                bound("reveal_my_number") if chosen == str(person.pk) else None,
                prefix=f"reveal-{person.pk}",
            )
            for person in persons
            if case.procedure.uses_my_number and person.my_number
        }

    def bound_form(self, action: str) -> Any:
        if action == "reveal_my_number":
            return next((f for f in self.reveal.values() if f.is_bound), None)
        return {
            "decide": self.decision,
            "send_back": self.send_back,
            "correction": self.correction,
            "fee": self.fee,
            "assign": self.assign,
            "note": self.note,
            "revoke": self.revoke,
        }.get(action)


def _act(request: HttpRequest, case: Case, action: str, form: Any) -> str | None:
    """Run ``action``; returns the success message, or None when only the form had errors."""
    user = request.user
    if action == "start_review":
        case_services.start_review(case, actor=user)
        return _("審査を始めました。")
    if action == "sign_off":
        case_services.sign_off(case, actor=user)
        return _("決裁しました。申請者に通知します。")
    if form is None or not form.is_valid():
        return None
    data = form.cleaned_data
    if action == "decide":
        approve = data["outcome"] == APPROVE
        if case.status == Status.IN_REVIEW and Status.AWAITING_APPROVAL in cases.next_statuses(
            case
        ):
            case_services.draft_decision(
                case, actor=user, outcome=data["outcome"], reason=data["reason"]
            )
            return _("起案しました。決裁者の決裁を待ちます。")
        case_services.decide(case, actor=user, approve=approve, reason=data["reason"])
        return _("決定を登録しました。申請者に通知します。")
    if action == "send_back":
        case_services.send_back(case, actor=user, reason=data["reason"])
        return _("起案を差し戻しました。")
    if action == "correction":
        case_services.request_correction(
            case, actor=user, message=data["message"], question_keys=data["questions"]
        )
        return _("補正を依頼しました。申請者に通知します。")
    if action == "fee":
        case_services.set_fee(case, actor=user, amount=data["fee_yen"])
        return _("手数料を登録しました。")
    if action == "assign":
        assignee = cases.section_staff(case).filter(pk=data["assignee"] or 0).first()
        case_services.assign(case, actor=user, assignee=assignee)
        return _("担当者を変更しました。")
    if action == "note":
        case_services.add_note(case, actor=user, text=data["text"])
        return _("内部メモを追加しました。")
    if action == "revoke" and case.document_id:
        from madoguchi.issuance import services as issuance

        issuance.revoke(case.document, actor=user, reason=data["reason"])
        return _("証明書を失効させました。検証ページで「失効」と表示されます。")
    return None


@require_http_methods(["GET", "POST"])
@staff_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = cases.case_for_staff(request.user, case_id)
    persons = _persons_shown(case)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _Forms(case, persons, request.POST if action else None, action)
    if action == "reveal_my_number":
        return _reveal(request, case, persons, forms)
    if action:
        try:
            done = _act(request, case, action, forms.bound_form(action))
        except workflow.TransitionNotAllowed:
            messages.error(request, _("この案件の状態では、その操作はできません。"))
            return redirect("staff:case", case_id=case.pk)
        except SameDrafter:
            messages.error(
                request, _("自分が起案した決定は決裁できません。別の決裁者に依頼してください。")
            )
            return redirect("staff:case", case_id=case.pk)
        except PermissionDenied:
            messages.error(request, _("この操作をする権限がありません。"))
            return redirect("staff:case", case_id=case.pk)
        except ValidationError as error:
            messages.error(request, _describe(error))
            return redirect("staff:case", case_id=case.pk)
        if done:
            messages.success(request, done)
            return redirect("staff:case", case_id=case.pk)
    return _render_case(request, case, persons, forms, failed=forms.bound_form(action))


def _members(case: Case) -> list[Person]:
    """The household members the application names (e.g. whose 住民票 is requested)."""
    applicant = case.submission.person
    if applicant is None:
        return []
    member_ids = [int(i) for i in case.submission.answers.get("members", [])]
    return registry.persons_in_household(applicant, member_ids)


def _persons_shown(case: Case) -> list[Person]:
    """The registry persons the case page shows: the applicant, then the members named."""
    applicant = case.submission.person
    if applicant is None:
        return []
    return [applicant, *(p for p in _members(case) if p.pk != applicant.pk)]


# Error reports (a traceback's local variables) must not carry a revealed number either.
@sensitive_variables("number")
def _reveal(request: HttpRequest, case: Case, persons: list[Person], forms: _Forms) -> HttpResponse:
    """Show one person's 個人番号 in full, in this response only (never in a URL, a redirect or
    the session), after recording who looked, at whose number, and why."""
    form = forms.bound_form("reveal_my_number")
    if form is None:  # not a person of this case, or the procedure does not use the number
        messages.error(request, _("この案件では個人番号を表示できません。"))
        return redirect("staff:case", case_id=case.pk)
    if not form.is_valid():
        return _render_case(request, case, persons, forms, failed=form)
    person = next(p for p in persons if forms.reveal.get(p.pk) is form)
    number = registry.reveal_my_number(
        person, actor=request.user, purpose=form.cleaned_data["purpose"], case=case
    )
    response = _render_case(
        request, case, persons, forms, failed=None, revealed={person.pk: number}
    )
    response["Cache-Control"] = "no-store"
    return response


def _describe(error: ValidationError) -> str:
    text = " ".join(error.messages)
    if "fee" in text.lower():
        return _("承認の前に手数料を登録してください。")
    return _("入力内容を確認してください。")


def _correction_rows(submission: Any, correction: Any, labels: dict[str, str]) -> tuple:
    """A correction with, per requested answer, its rows before and after (a file's row links
    to that version of the file: a replaced file stays readable). A repeating group has a row
    per item and inner question, paired by their label (世帯員 2：氏名)."""
    before = _rows_by_question(submission, correction.answers_before)
    after = (
        _rows_by_question(submission, correction.answers_after)
        if correction.answers_after is not None
        else {}
    )
    changes = []
    for key in correction.question_keys:
        old = {row.label: row for row in before.get(key, [])}
        new = {row.label: row for row in after.get(key, [])}
        shown = list(dict.fromkeys([*old, *new])) or [labels.get(key, key)]
        changes += [(label, (old.get(label), new.get(label))) for label in shown]
    return correction, changes


def _rows_by_question(submission: Any, answers: dict[str, Any]) -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {}
    for row in submissions.answer_rows(submission, answers):
        rows.setdefault(row.question_key, []).append(row)
    return rows


@sensitive_variables("revealed", "my_numbers", "shown", "text")
def _render_case(
    request: HttpRequest,
    case: Case,
    persons: list[Person],
    forms: _Forms,
    failed: Any,
    revealed: dict[int, str] | None = None,
) -> HttpResponse:
    submission = case.submission
    applicant = submission.person
    audit.record(
        actor=request.user,
        action="view_personal_data",
        target=case,
        purpose="審査",
        detail={"reference": submission.reference, "persons": [p.pk for p in persons]},
    )
    # (person, the number masked or revealed, revealed?, the form that reveals it)
    my_numbers = []
    for person in persons:
        form = forms.reveal.get(person.pk)
        if form is not None:
            shown = (revealed or {}).get(person.pk)
            text = formatted_my_number(shown) if shown else masked_my_number(person.my_number)
            my_numbers.append((person, text, shown is not None, form))
    user = request.user
    next_statuses = cases.next_statuses(case)
    is_approver = cases.is_approver(user, case)
    rows = submissions.answer_rows(submission)
    labels = {row.question_key: row.label for row in rows}
    return render(
        request,
        "staff/case_detail.html",
        {
            "case": case,
            "submission": submission,
            "applicant": applicant,
            "members": _members(case),
            "my_numbers": my_numbers,
            "rows": rows,
            "taken_in_by_staff": attachments.taken_in_by_staff(submission),
            "changed_prefills": submissions.changed_prefills(submission),
            "events": case.events.select_related("actor"),
            "notes": case.notes.select_related("author"),
            "corrections": [
                _correction_rows(submission, c, labels) for c in case.corrections.all()
            ],
            "payments": payments.payments_of(submission),
            "forms": forms,
            # The form the staff member just sent with errors: the error summary shows it.
            "form": failed,
            "can_start_review": Status.IN_REVIEW in next_statuses
            and case.status == Status.RECEIVED,
            "can_review": case.status == Status.IN_REVIEW,
            "drafts": Status.AWAITING_APPROVAL in next_statuses,
            "can_sign_off": case.status == Status.AWAITING_APPROVAL
            and is_approver
            and case.drafted_by_id != user.pk,
            "is_drafter": case.drafted_by_id == user.pk,
            "sets_fee": case.procedure.fee_kind == Procedure.FeeKind.SET_BY_CLERK
            and case.status in {Status.RECEIVED, Status.IN_REVIEW},
            "is_overdue": cases.queue(user).filter(pk=case.pk).filter(cases.overdue_q()).exists(),
        },
    )

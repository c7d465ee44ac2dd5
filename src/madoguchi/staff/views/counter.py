"""書かない窓口 (staff-assisted counter): the clerk finds the resident in the registry, starts
any online procedure for them with everything the city holds already filled in, asks only what
is missing, and the resident reads and confirms the application on the counter screen."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts import services as accounts
from madoguchi.accounts.permissions import staff_required
from madoguchi.attachments import services as attachment_services
from madoguchi.bundles import selectors as bundles
from madoguchi.datause import services as datause
from madoguchi.forms import engine
from madoguchi.forms import selectors as form_selectors
from madoguchi.procedures.models import Procedure
from madoguchi.procedures.selectors import catalog
from madoguchi.residents import selectors as residents
from madoguchi.residents.models import Person
from madoguchi.submissions import selectors as submissions
from madoguchi.submissions import services as submission_services
from madoguchi.submissions.guards import SubmissionBlocked
from madoguchi.submissions.models import Submission

from ..forms import CounterConfirmForm, CounterSearchForm


@require_GET
@staff_required
def search(request: HttpRequest) -> HttpResponse:
    form = CounterSearchForm(request.GET or None)
    people = None
    if form.is_bound and form.is_valid():
        people = residents.search_people(
            request.user.municipality,
            name=form.cleaned_data["name"],
            kana=form.cleaned_data["kana"],
            birth_date=form.cleaned_data["birth_date"],
            actor=request.user,
        )
    return render(request, "staff/counter/search.html", {"form": form, "people": people})


def _person(request: HttpRequest, person_id: int) -> Person:
    person = residents.person_at_counter(request.user.municipality, person_id, actor=request.user)
    if person is None:
        raise Http404
    return person


@require_GET
@staff_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    found = _person(request, person_id)
    datause.record_counter_lookup(person=found, used_by=request.user)
    procedures = [
        p
        for p in catalog(request.user.municipality).filter(online_available=True)
        if form_selectors.current_version(p) is not None
    ]
    return render(
        request,
        "staff/counter/person.html",
        {
            "person": found,
            "members": residents.household_members(found),
            "procedures": procedures,
            "bundles": bundles.published(request.user.municipality),
        },
    )


@require_POST
@staff_required
def start(request: HttpRequest, person_id: int) -> HttpResponse:
    found = _person(request, person_id)
    procedure = Procedure.objects.filter(
        municipality=request.user.municipality,
        code=request.POST.get("procedure", "")[:100],
        online_available=True,
    ).first()
    form_version = form_selectors.current_version(procedure) if procedure else None
    if form_version is None:
        raise Http404
    draft = submission_services.start_draft(
        applicant=accounts.resident_account_for(found),
        form_version=form_version,
        language=get_language() or "ja",
        assisted_by=request.user,
    )
    return _onward(draft)


def _onward(draft: Submission, after: str | None = None) -> HttpResponse:
    step = submissions.next_step_to_ask(draft, after)
    if step is None:
        return redirect("staff:counter-confirm", draft=draft.uuid)
    return redirect("staff:counter-step", draft=draft.uuid, step=step)


@require_http_methods(["GET", "POST"])
@staff_required
def step(request: HttpRequest, draft: str, step: str) -> HttpResponse:
    submission = submissions.counter_application(request.user, draft)
    if not submission.is_draft:
        return redirect("staff:counter-done", draft=submission.uuid)
    try:
        current = submission.form_version.parsed.step(step)
    except KeyError as missing:
        raise Http404 from missing
    # From the confirmation, "change" asks the prefilled answers too.
    change = request.GET.get("change") == "1"
    asked, prefilled_rows = submissions.split_prefilled(submission, current, change=change)
    answers = submission.answers
    if request.method == "POST":
        # The clerk takes in (scans) a document the resident brought, recorded as taken in by
        # them; checked like any upload.
        data, upload_errors = attachment_services.receive_uploads(
            submission, asked, request.POST, request.FILES, uploaded_by=request.user
        )
        context = submission_services.choice_context(submission)
        form, to_save = engine.posted_step_form(
            asked, context, data, request.FILES, answers=answers, upload_errors=upload_errors
        )
        if to_save and form.is_valid():
            submission_services.save_step(submission, current.key, engine.to_answers(form))
            if change:
                return redirect("staff:counter-confirm", draft=submission.uuid)
            return _onward(submission, current.key)
    else:
        context = submission_services.choice_context(submission)
        form = engine.step_form(asked, context, answers=answers)
    return render(
        request,
        "staff/counter/step.html",
        {
            "submission": submission,
            "step": current,
            "form": form,
            "prefilled_rows": prefilled_rows,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def confirm(request: HttpRequest, draft: str) -> HttpResponse:
    submission = submissions.counter_application(request.user, draft)
    if not submission.is_draft:  # a resent confirmation: the one application already made
        return redirect("staff:counter-done", draft=submission.uuid)
    form = CounterConfirmForm(request.POST if request.method == "POST" else None)
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        try:
            submission_services.submit(submission, actor=request.user)
        except submission_services.SubmissionInvalid as invalid:
            errors = invalid.errors
        except SubmissionBlocked as blocked:
            errors = {"": [str(blocked.message)]}
        else:
            return redirect("staff:counter-done", draft=submission.uuid)
    return render(
        request,
        "staff/counter/confirm.html",
        {
            "submission": submission,
            "rows": submissions.answer_rows(submission),
            "prefilled": submissions.unchanged_prefills(submission),
            "steps": submission.form_version.parsed.steps,
            "form": form,
            "step_errors": errors,
        },
    )


@require_GET
@staff_required
def done(request: HttpRequest, draft: str) -> HttpResponse:
    submission = submissions.counter_application(request.user, draft)
    if submission.is_draft:
        return redirect("staff:counter-confirm", draft=submission.uuid)
    return render(request, "staff/counter/done.html", {"submission": submission})

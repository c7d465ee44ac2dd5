"""書かない窓口 for bundles: the clerk starts a life event for the resident found in the registry,
asks only what the city does not hold, the resident confirms on the screen, one submit makes
every application (each recorded as staff-assisted, with the clerk)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts import services as accounts
from madoguchi.accounts.permissions import staff_required
from madoguchi.forms import engine
from madoguchi.residents import selectors as residents

from .. import selectors, services
from ..forms import CounterConfirmForm
from ..models import BundleApplication
from .review import post_step, review_context, submit_or_errors


@require_POST
@staff_required
def start(request: HttpRequest, person_id: int, slug: str) -> HttpResponse:
    municipality = request.user.municipality
    person = residents.person_at_counter(municipality, person_id, actor=request.user)
    if person is None:
        raise Http404
    bundle = selectors.published_bundle(municipality, slug)
    try:
        application = services.start(
            applicant=accounts.resident_account_for(person),
            bundle=bundle,
            language=get_language() or "ja",
            assisted_by=request.user,
        )
    except services.BundleUnavailable as unavailable:
        raise Http404 from unavailable
    return _onward(application)


def _onward(application: BundleApplication, after: str | None = None) -> HttpResponse:
    """The next step holding a question no source answered, or the confirmation."""
    steps = list(services.shared_schema(application).visible_steps(application.answers))
    if after is not None:
        keys = [s.key for s in steps]
        steps = steps[keys.index(after) + 1 :] if after in keys else steps
    for step in steps:
        asked, _rows = selectors.split_prefilled(application, step, change=False)
        if asked.questions:
            return redirect("bundles:counter-step", draft=application.uuid, step=step.key)
    return redirect("bundles:counter-confirm", draft=application.uuid)


@require_http_methods(["GET", "POST"])
@staff_required
def step(request: HttpRequest, draft: str, step: str) -> HttpResponse:
    application = selectors.counter_bundle(request.user, draft)
    if not application.is_draft:
        return redirect("bundles:counter-done", draft=application.uuid)
    try:
        current = services.shared_schema(application).step(step)
    except KeyError as missing:
        raise Http404 from missing
    asked, prefilled_rows = selectors.split_prefilled(application, current, change=False)
    if request.method == "POST":
        # The clerk takes in (scans) a document the resident brought, recorded as taken in by them.
        form, saved = post_step(request, application, current.key, asked, uploaded_by=request.user)
        if saved:
            return _onward(application, current.key)
    else:
        context = services.choice_context(application)
        form = engine.step_form(asked, context, answers=application.answers)
    return render(
        request,
        "bundles/counter_step.html",
        {
            "application": application,
            "step": current,
            "form": form,
            "prefilled_rows": prefilled_rows,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def confirm(request: HttpRequest, draft: str) -> HttpResponse:
    application = selectors.counter_bundle(request.user, draft)
    if not application.is_draft:  # a resent confirmation: the applications already made
        return redirect("bundles:counter-done", draft=application.uuid)
    form = CounterConfirmForm(request.POST if request.method == "POST" else None)
    errors: dict[str, list[str]] | None = {}
    if request.method == "POST" and form.is_valid():
        errors = submit_or_errors(application)
        if errors is None:
            return redirect("bundles:counter-done", draft=application.uuid)
    return render(
        request,
        "bundles/counter_confirm.html",
        {
            **review_context(application),
            "prefilled": selectors.unchanged_prefills(application),
            "form": form,
            "step_errors": errors,
        },
    )


@require_GET
@staff_required
def done(request: HttpRequest, draft: str) -> HttpResponse:
    application = selectors.counter_bundle(request.user, draft)
    if application.is_draft:
        return redirect("bundles:counter-confirm", draft=application.uuid)
    return render(
        request,
        "bundles/counter_done.html",
        {"application": application, "statuses": selectors.item_statuses(application)},
    )

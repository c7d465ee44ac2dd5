"""A resident's bundle: choose a life event, answer the shared questions once, check them,
submit once, and see every application it made together."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.permissions import resident_required
from madoguchi.core.ratelimits import submission_ratelimit
from madoguchi.forms import engine
from madoguchi.forms.schema import Step
from madoguchi.organizations.selectors import home_municipality

from .. import schema as shared
from .. import selectors, services
from ..forms import ChooseProceduresForm
from ..models import BundleApplication
from .review import post_step, review_context, submit_or_errors


@require_GET
def bundle_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "bundles/list.html",
        {"bundles": selectors.published(home_municipality())},
    )


@require_GET
def bundle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    bundle = selectors.published_bundle(home_municipality(), slug)
    return render(
        request, "bundles/detail.html", {"bundle": bundle, "form": ChooseProceduresForm(bundle)}
    )


@require_POST
@resident_required
@submission_ratelimit
def start(request: HttpRequest, slug: str) -> HttpResponse:
    bundle = selectors.published_bundle(home_municipality(), slug)
    form = ChooseProceduresForm(bundle, data=request.POST)
    if not form.is_valid():
        return render(request, "bundles/detail.html", {"bundle": bundle, "form": form})
    chosen = set(form.cleaned_data["procedures"])
    try:
        application = services.start(
            applicant=request.user,
            bundle=bundle,
            language=get_language() or "ja",
            procedures=[c.procedure for c in bundle.components.all() if c.procedure.code in chosen],
        )
    except services.BundleUnavailable as unavailable:
        raise Http404 from unavailable
    first = services.shared_schema(application).steps[0]
    return redirect("bundles:step", draft=application.uuid, step=first.key)


def _used_by(application: BundleApplication, step: Step) -> list[str]:
    """The procedures that ask this step's questions, to tell the resident why it is asked."""
    keys = {question.key for question in step.questions}
    return [
        item.procedure.name
        for item in application.items.select_related("procedure", "form_version")
        if keys & set(shared.question_keys(item.form_version.parsed))
    ]


@require_http_methods(["GET", "POST"])
@resident_required
@submission_ratelimit
def step(request: HttpRequest, draft: str, step: str) -> HttpResponse:
    application = selectors.own_draft(request.user, draft)
    schema = services.shared_schema(application)
    try:
        current = schema.step(step)
    except KeyError as missing:
        raise Http404 from missing
    visible = schema.visible_steps(application.answers)
    if current not in visible:  # an earlier answer skips this step
        following = schema.next_step(current.key, application.answers)
        if following is None:
            return redirect("bundles:check", draft=application.uuid)
        return redirect("bundles:step", draft=application.uuid, step=following.key)
    returning_to_check = request.GET.get("return") == "check"
    # Once-only: what the city holds is shown, not asked, unless the resident wants to change it.
    asked, prefilled_rows = selectors.split_prefilled(
        application, current, change=request.GET.get("change") == "1"
    )
    change_query = request.GET.copy()
    change_query["change"] = "1"
    if request.method == "POST":
        form, saved = post_step(request, application, current.key, asked)
        if saved:
            following = schema.next_step(current.key, application.answers)
            if following is None or returning_to_check:
                return redirect("bundles:check", draft=application.uuid)
            return redirect("bundles:step", draft=application.uuid, step=following.key)
    else:
        context = services.choice_context(application)
        form = engine.step_form(asked, context, answers=application.answers)
    previous = schema.previous_step(current.key, application.answers)
    if returning_to_check:
        back_url = reverse("bundles:check", kwargs={"draft": application.uuid})
    elif previous:
        back_url = reverse("bundles:step", kwargs={"draft": application.uuid, "step": previous.key})
    else:
        back_url = reverse("bundles:detail", kwargs={"slug": application.bundle.slug})
    return render(
        request,
        "bundles/step.html",
        {
            "application": application,
            "step": current,
            "form": form,
            "step_number": visible.index(current) + 1,
            "step_total": len(visible),
            "back_url": back_url,
            "used_by": _used_by(application, current),
            "prefilled_rows": prefilled_rows,
            "change_url": f"?{change_query.urlencode()}",
        },
    )


@require_http_methods(["GET", "POST"])
@resident_required
@submission_ratelimit
def check(request: HttpRequest, draft: str) -> HttpResponse:
    application = selectors.own_application(request.user, draft)
    if not application.is_draft:
        # A resent form after submitting (back button, double click): show what was made.
        return redirect("bundles:application", application=application.uuid)
    errors: dict[str, list[str]] | None = {}
    if request.method == "POST":
        errors = submit_or_errors(application)
        if errors is None:
            return redirect("bundles:application", application=application.uuid)
    return render(
        request, "bundles/check.html", {**review_context(application), "step_errors": errors}
    )


@require_GET
@resident_required
def application(request: HttpRequest, application: str) -> HttpResponse:
    bundle_application = selectors.own_application(request.user, application)
    if bundle_application.is_draft:
        return redirect("bundles:check", draft=bundle_application.uuid)
    return render(
        request,
        "bundles/application.html",
        {
            "application": bundle_application,
            "statuses": selectors.item_statuses(bundle_application),
        },
    )

"""What the resident's pages and the counter's share: a posted step, submitting once, and the
answers shown for review."""

from typing import Any

from django.http import HttpRequest

from madoguchi.attachments import services as attachment_services
from madoguchi.forms import engine
from madoguchi.forms.schema import Step
from madoguchi.submissions import services as submission_services
from madoguchi.submissions.guards import SubmissionBlocked

from .. import services
from ..models import BundleApplication


def post_step(
    request: HttpRequest,
    application: BundleApplication,
    step_key: str,
    asked: Step,
    *,
    uploaded_by: Any = None,
) -> tuple[engine.StepForm, bool]:
    """Take the step's uploads (a clerk's scans record ``uploaded_by``), then save the step if
    it was sent and is valid: the form to show again, and whether it was saved."""
    data, upload_errors = attachment_services.receive_uploads(
        application, asked, request.POST, request.FILES, uploaded_by=uploaded_by
    )
    context = services.choice_context(application)  # with the files just received
    form, to_save = engine.posted_step_form(
        asked,
        context,
        data,
        request.FILES,
        answers=application.answers,
        upload_errors=upload_errors,
    )
    if to_save and form.is_valid():
        services.save_step(application, step_key, engine.to_answers(form))
        return form, True
    return form, False


def submit_or_errors(application: BundleApplication) -> dict[str, list[str]] | None:
    """Submit the bundle; None when every application was made, else the errors by step key."""
    try:
        services.submit(application)
    except submission_services.SubmissionInvalid as invalid:
        return invalid.errors
    except SubmissionBlocked as blocked:
        return {"": [str(blocked.message)]}
    return None


def review_context(application: BundleApplication) -> dict[str, Any]:
    schema = services.shared_schema(application)
    return {
        "application": application,
        "rows": engine.summarize(schema, application.answers, services.choice_context(application)),
        "steps": schema.steps,
        "procedures": [item.procedure for item in application.items.select_related("procedure")],
    }

"""What the resident's check page and the counter's confirmation share: submitting once, and
the answers shown for review."""

from typing import Any

from madoguchi.forms import engine
from madoguchi.submissions import services as submission_services
from madoguchi.submissions.guards import SubmissionBlocked

from .. import services
from ..models import BundleApplication


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

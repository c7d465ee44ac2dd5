from django.utils import timezone

from madoguchi.audit import services as audit
from madoguchi.core.business_days import add_business_days
from madoguchi.payments import selectors as payments
from madoguchi.procedures.selectors import responsible_section
from madoguchi.submissions.models import Submission

from .. import selectors
from ..models import Case, CaseEvent, Status
from .common import notify


def open_case(submission: Submission) -> Case:
    """Open a case in the responsible section's queue for a just-submitted application."""
    procedure = submission.procedure
    ward = submission.person.household.ward if submission.person_id else None
    received_at = submission.submitted_at or timezone.now()
    due_date = None
    if procedure.standard_processing_days:
        due_date = add_business_days(
            timezone.localtime(received_at).date(), procedure.standard_processing_days
        )
    case = Case.objects.create(
        municipality=submission.municipality,
        submission=submission,
        procedure=procedure,
        section=responsible_section(procedure, ward=ward),
        workflow=selectors.workflow_for(procedure),
        received_at=received_at,
        due_date=due_date,
        fee_yen=payments.fee_for_submission(submission),
    )
    CaseEvent.objects.create(case=case, actor=submission.applicant, to_status=Status.RECEIVED)
    audit.record(
        actor=submission.applicant,
        action="create",
        target=case,
        detail={"section": case.section.code, "reference": submission.reference},
    )
    notify(case, "application_received")
    return case

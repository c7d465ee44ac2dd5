"""Writes: start a run, evaluate it, approve it, send its notices. Each step is recorded."""

import datetime as dt

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from madoguchi.accounts.models import StaffMembership, User
from madoguchi.audit import services as audit
from madoguchi.notifications.services import notify
from madoguchi.organizations.models import Municipality

from . import catalog, engine, snapshot
from .models import Change, EmailChoice, Finding, Notice, OptOut, Run
from .rules.programs import PROGRAMS

APPROVING_ROLES = (StaffMembership.Role.APPROVER, StaffMembership.Role.ADMIN)
EVENTS = {Change.NEW: "eligibility_new", Change.POSSIBLE: "eligibility_possible"}
# The portal inbox always; e-mail only for residents who chose it (EmailChoice).
NOTICE_CHANNELS = {False: ("portal",), True: ("portal", "email")}


def can_approve(user: User) -> bool:
    return user.is_city_staff and user.memberships.filter(role__in=APPROVING_ROLES).exists()


@transaction.atomic
def start_run(user: User, municipality: Municipality, as_of: dt.date) -> Run:
    run = Run.objects.create(municipality=municipality, as_of=as_of, started_by=user)
    audit.record(actor=user, action="eligibility_run_started", target=run)
    transaction.on_commit(lambda: _enqueue("evaluate_run_task", run.pk))
    return run


def _enqueue(name: str, run_id: int) -> None:
    from . import tasks

    getattr(tasks, name).enqueue(run_id)


def status_of(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(eligible, possibly eligible) per household: eligible when even the lowest result pays
    or covers someone; possible when only the highest does."""
    return low > 0, (low <= 0) & (high > 0)


def evaluate_run(run_id: int) -> Run:
    """Evaluate every program over the whole registry and keep what changed."""
    run = Run.objects.select_related("municipality").get(pk=run_id)
    if run.status != Run.Status.EVALUATING:
        return run
    wards = snapshot.wards(run.municipality)
    run.snapshot_at = timezone.now()
    population, household_ids = snapshot.take(run.municipality, run.as_of)
    try:
        results = engine.run(population, run.as_of)
    except engine.EngineFailed as failed:
        run.status, run.error = Run.Status.FAILED, str(failed)
        run.save(update_fields=["status", "error", "snapshot_at"])
        return run
    findings, counts = [], {}
    facts = results.get("_facts", {})
    for program in PROGRAMS:
        if not program.in_force(run.as_of):
            continue
        values = results[program.code]
        eligible, possible = status_of(values["low"], values["high"])
        receiving = population.recipients.get(
            program.code, np.zeros(population.households, dtype=bool)
        )
        changes = {
            Change.NEW: eligible & ~receiving,
            Change.POSSIBLE: possible & ~receiving,
            Change.ENDED: ~eligible & ~possible & receiving,
        }
        per_ward: dict[str, dict[str, int]] = {}
        for change, mask in changes.items():
            for i in np.flatnonzero(mask):
                ward = wards[population.ward[i]]
                per_ward.setdefault(str(ward.pk), {}).setdefault(change, 0)
                per_ward[str(ward.pk)][change] += 1
                findings.append(
                    Finding(
                        run=run,
                        program=program.code,
                        household_id=int(household_ids[i]),
                        ward=ward,
                        change=change,
                        low=round(float(values["low"][i])),
                        high=round(float(values["high"][i])),
                        facts=_facts(values, facts, i),
                    )
                )
        counts[program.code] = per_ward
    with transaction.atomic():
        Finding.objects.bulk_create(findings, batch_size=2000)
        run.counts = counts
        run.households = population.households
        run.rule_versions = {p.code: p.version for p in PROGRAMS if p.in_force(run.as_of)}
        run.status = Run.Status.READY
        run.evaluated_at = timezone.now()
        run.save()
    return run


def _facts(values: dict, facts: dict, i: int) -> dict[str, int]:
    picked = {
        name: int(array[i])
        for name, array in values.items()
        if name not in {"low", "high"} and int(array[i])
    }
    picked.update({name: int(array[i]) for name, array in facts.items() if int(array[i])})
    return picked


@transaction.atomic
def approve(run: Run, user: User) -> Run:
    """A 決裁者 (or administrator) approves the dry run; only then are notices sent."""
    if not can_approve(user):
        raise PermissionDenied
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.status != Run.Status.READY:
        return run
    run.status, run.approved_by, run.approved_at = Run.Status.APPROVED, user, timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(actor=user, action="eligibility_run_approved", target=run)
    transaction.on_commit(lambda: _enqueue("send_notices_task", run.pk))
    return run


def recipients_for(household_id: int, category: str) -> list[User]:
    """Resident accounts of the household's members who have not opted out of ``category``,
    each with ``wants_email`` (they chose to be told by e-mail too)."""
    users = User.objects.filter(kind=User.Kind.RESIDENT, person__household_id=household_id)
    opted_out = OptOut.objects.filter(category=category).values("user_id")
    emailed = EmailChoice.objects.filter(user_id=OuterRef("pk"))
    return list(
        users.exclude(pk__in=opted_out).annotate(wants_email=Exists(emailed)).order_by("pk")
    )


def send_notices(run_id: int) -> Run:
    """Tell each household once per program and fiscal year; a re-run sends nothing twice."""
    run = Run.objects.get(pk=run_id)
    if run.status != Run.Status.APPROVED:
        return run
    fiscal_year = run.as_of.year if run.as_of.month >= 4 else run.as_of.year - 1
    sent = skipped = 0
    findings = run.findings.filter(change__in=list(EVENTS)).order_by("pk")
    for finding in findings.iterator():
        program = catalog.program(finding.program)
        users = recipients_for(finding.household_id, program.category)
        if not users:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    household_id=finding.household_id,
                    program=finding.program,
                    change=finding.change,
                    fiscal_year=fiscal_year,
                    finding=finding,
                    recipients=len(users),
                )
                for user in users:
                    notify(
                        user,
                        event=EVENTS[finding.change],
                        context=notice_context(finding),
                        link=reverse("portal:procedure", kwargs={"code": program.procedure})
                        if program.needs_application
                        else "",
                        subject_object=notice,
                        channels=NOTICE_CHANNELS[user.wants_email],
                    )
        except IntegrityError:  # already told in an earlier run this fiscal year
            skipped += 1
            continue
        sent += 1
    run.status, run.sent_at = Run.Status.SENT, timezone.now()
    run.notices_sent, run.notices_skipped = sent, skipped
    run.save(update_fields=["status", "sent_at", "notices_sent", "notices_skipped"])
    return run


def notice_context(finding: Finding) -> dict:
    program = catalog.program(finding.program)
    text = catalog.text(finding.program)
    return {
        "program": text.name,
        "what": text.what,
        "unit": program.unit,
        "low": finding.low,
        "high": finding.high,
        "facts": finding.facts,
        "needs_application": program.needs_application,
        "legal_basis": program.legal_basis,
        "possible": finding.change == Change.POSSIBLE,
    }


@transaction.atomic
def set_opt_outs(user: User, categories: list[str], *, email: bool | None = None) -> None:
    """The categories ``user`` is not to be told about and, when given, whether to be told by
    e-mail as well as in the portal."""
    OptOut.objects.filter(user=user).exclude(category__in=categories).delete()
    for category in categories:
        OptOut.objects.get_or_create(user=user, category=category)
    if email is True:
        EmailChoice.objects.get_or_create(user=user)
    elif email is False:
        EmailChoice.objects.filter(user=user).delete()

"""Benchmark: the heavy paths of the back office, each against its reference.

    make bench-back-office

1. Issuing a certificate: render + PAdES signature (pyHanko) against render alone.
2. Verifying an uploaded certificate: pyHanko validation against the hash lookup alone.
3. The section queue page (50 cases a page) with 2,000 open cases against 20: time per
   request and SQL queries (which must not grow with the number of cases).
4. Webhooks: verified, deduplicated and applied, per second.

Runs on a fresh SQLite database in a temporary directory; prints numbers and ratios.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MADOGUCHI_VAR_DIR", tempfile.mkdtemp(prefix="madoguchi-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.conf.test")
sys.path[:0] = [
    str(Path(__file__).resolve().parent.parent),
    str(Path(__file__).parent.parent / "src"),
]

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from tests import factories  # noqa: E402

from madoguchi.cases.models import Case  # noqa: E402
from madoguchi.demo import kyoto  # noqa: E402
from madoguchi.forms.selectors import current_version  # noqa: E402
from madoguchi.issuance import demo_ca, selectors, signing  # noqa: E402
from madoguchi.issuance.documents import registry  # noqa: E402
from madoguchi.issuance.documents.base import Verification  # noqa: E402
from madoguchi.payments import services as payments  # noqa: E402
from madoguchi.payments.contrib.sandbox import server  # noqa: E402
from madoguchi.payments.contrib.sandbox import signing as webhook_signing  # noqa: E402
from madoguchi.payments.models import Payment  # noqa: E402
from madoguchi.procedures.models import Procedure  # noqa: E402
from madoguchi.submissions.models import Submission  # noqa: E402


def timed(work, repeat: int) -> float:
    """Median seconds of ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def setup():
    call_command("migrate", verbosity=0)
    demo_ca.create(Path(settings.MADOGUCHI_SIGNING_CERT).parent)
    municipality = kyoto.load_organization()
    kyoto.load_catalog(municipality)
    from madoguchi.residents.models import Person

    rel, born = Person.Relationship, dt.date
    family = factories.household(
        municipality,
        "nakagyo",
        [
            ("山田", "太郎", "ヤマダ", "タロウ", rel.HEAD, born(1985, 4, 1), "male"),
            ("山田", "花子", "ヤマダ", "ハナコ", rel.SPOUSE_WIFE, born(1987, 9, 15), "female"),
        ],
    )
    resident = factories.resident_user(family[0])
    clerk = factories.staff_user(municipality, "bench-clerk", "nakagyo-citizen-services")
    return municipality, family, resident, clerk


def make_submission(resident, reference: str, members: list) -> Submission:
    procedure = Procedure.objects.get(code="juminhyo-copy")
    return Submission.objects.create(
        municipality=procedure.municipality,
        procedure=procedure,
        form_version=current_version(procedure),
        applicant=resident,
        person=resident.person,
        status="submitted",
        reference=reference,
        submitted_at=timezone.now(),
        answers={
            "members": [str(p.pk) for p in members],
            "include_relationship": "yes",
            "include_honseki": "no",
            "purpose": "employment",
            "copies": 1,
        },
    )


def _counter(queries: list[str]):
    def count_query(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return count_query


def main() -> None:
    _municipality, family, resident, clerk = setup()
    office = factories.section(_municipality, "nakagyo-citizen-services")
    submission = make_submission(resident, "BNCH-0000-AA", family)
    document_type = registry.get("juminhyo")
    verification = Verification("ABCD-EFGH-JKMN", "http://127.0.0.1:8000/verify/ABCD-EFGH-JKMN/")

    def render() -> bytes:
        return document_type.render(
            submission,
            office=office,
            issued_on=dt.date.today(),
            verification=verification,
            details={},
        )

    signing.sign(render(), reason="warm-up", location="bench")
    render_s = timed(render, 15)
    sign_s = timed(lambda: signing.sign(render(), reason="bench", location="bench"), 15)
    print("1. Issuing a 住民票の写し (1 page, IPAexGothic subset, QR code), median of 15")
    print(f"   render only (reference)  {render_s * 1000:8.1f} ms")
    print(f"   render + PAdES signature {sign_s * 1000:8.1f} ms   ratio {sign_s / render_s:.2f}×")

    signed = signing.sign(render(), reason="bench", location="bench")
    check_s = timed(lambda: signing.check(signed), 15)
    hash_s = timed(lambda: selectors.by_verification_code("ABCD-EFGH-JKMN"), 15)
    hash_s = timed(lambda: hashlib.sha256(signed).hexdigest(), 15) + hash_s
    print("2. Verifying an uploaded certificate, median of 15")
    print(f"   hash + lookup (reference) {hash_s * 1000:7.2f} ms")
    print(f"   pyHanko validation        {check_s * 1000:7.2f} ms   ratio {check_s / hash_s:.0f}×")

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(clerk)
    results = {}
    total = 0
    for count in (20, 2000):
        procedure = submission.procedure
        new = [
            make_submission(resident, f"BN{total + i:02d}-{i:04d}-QQ"[:12], family[:1])
            for i in range(count - total)
        ]
        Case.objects.bulk_create(
            [
                Case(
                    municipality=procedure.municipality,
                    submission=s,
                    procedure=procedure,
                    section=office,
                    received_at=s.submitted_at,
                    due_date=dt.date(2020, 1, 6) if i % 5 == 0 else dt.date(2999, 1, 6),
                )
                for i, s in enumerate(new)
            ]
        )
        total = count
        assert client.get("/staff/").status_code == 200
        queries: list[str] = []
        with connection.execute_wrapper(_counter(queries)):
            page = client.get("/staff/").content.decode()
        assert page.count('name="cases"') == min(count, 50)  # the first page of the queue
        results[count] = (timed(lambda: client.get("/staff/"), 5), len(queries))
    (small_s, small_q), (big_s, big_q) = results[20], results[2000]
    print("3. Section queue page (first page of 50), median of 5")
    print(f"   20 cases (reference)  {small_s * 1000:8.1f} ms  {small_q} queries")
    ratio = big_s / small_s
    print(f"   2,000 cases           {big_s * 1000:8.1f} ms  {big_q} queries   ratio {ratio:.1f}×")

    draft = make_submission(resident, "BNCH-WEBH-00", family[:1])
    Submission.objects.filter(pk=draft.pk).update(status="draft", reference=None)
    payment_list = []
    for _ in range(200):
        payment = Payment.objects.create(
            municipality=draft.municipality, submission=draft, payer=resident, amount=300,
            provider="sandbox", status="pending",
        )  # fmt: skip
        charge = server.create_charge(
            merchant_reference=str(payment.uuid), amount=300, description="bench",
            return_url="/", webhook_url="http://127.0.0.1:9/",
        )  # fmt: skip
        charge.status = "declined"
        charge.save()
        Payment.objects.filter(pk=payment.pk).update(provider_reference=charge.charge_id)
        body = json.dumps(server.event_payload(charge, "charge.failed")).encode()
        payment_list.append((body, {"Sandbox-Signature": webhook_signing.sign(
            settings.MADOGUCHI_SANDBOX_WEBHOOK_SECRET, body)}))  # fmt: skip
    started = time.perf_counter()
    for body, headers in payment_list:
        payments.handle_webhook("sandbox", body, headers)
    applied = time.perf_counter() - started
    started = time.perf_counter()
    for body, headers in payment_list:
        payments.handle_webhook("sandbox", body, headers)
    duplicates = time.perf_counter() - started
    print("4. Webhooks through verify + dedupe + apply (200 events)")
    print(f"   first delivery  {200 / applied:8.0f} /s")
    print(f"   duplicates      {200 / duplicates:8.0f} /s   (ignored by event id)")


if __name__ == "__main__":
    main()

"""EBPM: the platform's own statistics, computed from the records and published as datasets
whose CSV anyone can download."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from madoguchi.cases.models import Case
from madoguchi.opendata import statistics, statistics_tasks
from madoguchi.opendata.models import Dataset
from madoguchi.procedures.models import Procedure
from madoguchi.submissions.models import Submission
from tests import flows

pytestmark = pytest.mark.django_db
# Early morning of 1 February in Japan, still 31 January in UTC: the month is Japan's.
RECEIVED = dt.datetime(2026, 2, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))


@pytest.fixture
def applications(kyoto, family, resident, clerk, approver):
    client = Client()
    client.force_login(resident)
    references = [flows.apply_juminhyo(client, family[:1]) for _ in range(3)]
    # One of them was taken at the counter (書かない窓口), the others online; all on 1 February.
    Submission.objects.filter(reference=references[2]).update(channel="counter")
    Submission.objects.filter(reference__in=references).update(submitted_at=RECEIVED)
    Case.objects.filter(submission__reference__in=references).update(received_at=RECEIVED)
    for reference, days in zip(references[:2], (3, 5), strict=True):
        case = Case.objects.get(submission__reference=reference)
        flows.decide_through_four_eyes(case.pk, clerk, approver)
        Case.objects.filter(pk=case.pk).update(decided_at=RECEIVED + dt.timedelta(days=days))
    return references


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_applications_per_procedure_and_month(kyoto, applications, settings) -> None:
    settings.MADOGUCHI_STATISTICS_MIN_COUNT = 1  # nothing hidden: the counting itself
    rows = rows_of(
        statistics.to_csv(statistics.APPLICATION_COLUMNS, statistics.application_rows(kyoto))
    )
    assert rows == [
        {
            "全国地方公共団体コード": "261009",
            "手続コード": "juminhyo-copy",
            "手続名": "住民票の写しの交付請求",
            "年月": "2026-02",
            "申請件数": "3",
            "オンライン申請件数": "2",
            "窓口申請件数": "1",
            "オンライン率(%)": "66.7",
            # Decided after 3 and 5 days; the third is still open.
            "処理日数の中央値": "4.0",
        }
    ]


def test_the_barrier_table_of_annex_3_counts_the_live_catalog(
    kyoto, applications, settings
) -> None:
    settings.MADOGUCHI_STATISTICS_MIN_COUNT = 1
    rows = rows_of(statistics.to_csv(statistics.BARRIER_COLUMNS, statistics.barrier_rows(kyoto)))
    total = rows[-1]
    procedures = Procedure.objects.filter(municipality=kyoto)
    assert total["分野"] == "合計"
    assert total["手続数"] == str(procedures.count())
    assert total["オンライン化済み手続数"] == str(procedures.filter(online_available=True).count())
    assert total["書面の提出が必要な手続数"] == str(procedures.filter(requires_paper=True).count())
    assert total["添付書類がある手続数"] == str(
        procedures.filter(requires_attachments=True).count()
    )
    assert total["対面が必要な手続数"] == str(procedures.filter(requires_face_to_face=True).count())
    assert total["交付物がある手続数"] == str(procedures.filter(issues_document=True).count())
    assert total["手数料がある手続数"] == str(procedures.exclude(fee_kind="none").count())
    assert (total["申請件数"], total["オンライン申請件数"], total["オンライン利用率(%)"]) == (
        "3",
        "2",
        "66.7",
    )
    registry = next(r for r in rows if r["分野"] == "住民基本台帳")
    assert registry["申請件数"] == "3"
    assert sum(int(r["手続数"]) for r in rows[:-1]) == procedures.count()


def test_small_counts_are_published_as_x(kyoto, applications) -> None:
    """1 or 2 applications could point at a person: shown as "x", with whatever would give them
    back (the other channel); a median of two decided cases is not shown either."""
    (row,) = rows_of(
        statistics.to_csv(statistics.APPLICATION_COLUMNS, statistics.application_rows(kyoto))
    )
    assert row["申請件数"] == "3"
    assert (row["オンライン申請件数"], row["窓口申請件数"], row["オンライン率(%)"]) == ("x",) * 3
    assert row["処理日数の中央値"] == "x"


def _more_applications(like: Submission, code: str, online: int, counter: int) -> None:
    procedure = Procedure.objects.get(code=code)
    for number in range(online + counter):
        Submission.objects.create(
            municipality=like.municipality,
            procedure=procedure,
            form_version=like.form_version,
            applicant=like.applicant,
            status="submitted",
            channel="online" if number < online else "counter",
            reference=f"{code[:8]}-{number}",
            submitted_at=RECEIVED,
        )


def test_one_hidden_domain_is_not_given_back_by_the_total(kyoto, applications) -> None:
    like = Submission.objects.get(reference=applications[0])
    _more_applications(like, "koseki-certificate", online=1, counter=0)  # 1: hidden
    _more_applications(like, "inkan-certificate", online=4, counter=0)
    rows = {
        r["分野"]: r
        for r in rows_of(
            statistics.to_csv(statistics.BARRIER_COLUMNS, statistics.barrier_rows(kyoto))
        )
    }
    counts = ("申請件数", "オンライン申請件数", "オンライン利用率(%)")
    assert tuple(rows["戸籍"][c] for c in counts) == ("x", "x", "x")
    # 住民基本台帳 (3, the smallest other) is hidden too, else 合計 − the rest would give 戸籍.
    assert tuple(rows["住民基本台帳"][c] for c in counts) == ("x", "x", "x")
    assert tuple(rows["印鑑登録"][c] for c in counts) == ("4", "4", "100.0")
    assert rows["合計"]["申請件数"] == "8"
    assert rows["住民基本台帳"]["手続数"] != "x"  # the catalog's counts are never hidden


def test_publishing_makes_downloadable_datasets_and_replaces_their_files(
    kyoto, applications
) -> None:
    call_command("publish_statistics", stdout=io.StringIO())
    call_command("publish_statistics", stdout=io.StringIO())
    for name in statistics.DATASETS:
        dataset = Dataset.objects.get(name=name)
        assert dataset.resources.count() == 1
        assert dataset.license_id == "cc-by-4.0"
    resource = Dataset.objects.get(name="madoguchi-online-barriers").resources.get()
    response = Client().get(
        f"/dataset/{resource.dataset_id}/resource/{resource.id}/download/{resource.filename}"
    )
    rows = rows_of(b"".join(response.streaming_content))
    assert rows[-1]["申請件数"] == "3"
    page = Client().get("/opendata/", {"q": "オンライン"}).content.decode()
    assert "行政手続のオンライン化の状況（参考3）" in page


def test_the_daily_run_is_queued_once(kyoto) -> None:
    assert statistics_tasks.schedule() is True
    assert statistics_tasks.schedule() is False
    out = io.StringIO()
    call_command("publish_statistics", "--schedule", stdout=out)
    assert out.getvalue().strip() == "already queued"


def test_the_next_run_is_the_coming_night_in_japan() -> None:
    tokyo = timezone.get_fixed_timezone(9 * 60)
    evening = dt.datetime(2026, 11, 26, 20, 0, tzinfo=tokyo)
    night = dt.datetime(2026, 11, 27, 1, 0, tzinfo=tokyo)
    assert statistics_tasks.next_run(evening) == dt.datetime(2026, 11, 27, 3, 0, tzinfo=tokyo)
    assert statistics_tasks.next_run(night) == dt.datetime(2026, 11, 27, 3, 0, tzinfo=tokyo)

"""EBPM: the platform's own statistics, computed from the live catalog and records.

Two tables, both aggregates without personal data:
- applications per procedure and month: received, online, at the counter, and the median
  days from receipt to decision of the cases received that month;
- the policy's 参考3 view per 標準化分野: how many procedures, how many online, how many still
  need paper, attachments, a face-to-face visit, issue a document or collect a fee, and the
  share of applications made online.

Small counts are suppressed (秘匿, shown as "x" as e-Stat does): a number of applications from
1 to ``MADOGUCHI_STATISTICS_MIN_COUNT`` − 1, and whatever would give it back by subtraction (the
other channel of the same row; in the 参考3 table a second domain when only one is hidden, so
that the total does not reveal it). A median of fewer decided cases is not shown either.
"""

import csv
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from madoguchi.cases.models import Case
from madoguchi.organizations.models import Municipality
from madoguchi.procedures.models import Procedure, StandardDomain
from madoguchi.submissions.models import Submission

APPLICATION_COLUMNS = [
    "全国地方公共団体コード",
    "手続コード",
    "手続名",
    "年月",
    "申請件数",
    "オンライン申請件数",
    "窓口申請件数",
    "オンライン率(%)",
    "処理日数の中央値",
]
BARRIER_COLUMNS = [
    "全国地方公共団体コード",
    "分野",
    "手続数",
    "オンライン化済み手続数",
    "書面の提出が必要な手続数",
    "添付書類がある手続数",
    "対面が必要な手続数",
    "交付物がある手続数",
    "手数料がある手続数",
    "申請件数",
    "オンライン申請件数",
    "オンライン利用率(%)",
]
TOTAL = "合計"
SUPPRESSED = "x"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else ""


def _small(count: int) -> bool:
    return 0 < count < settings.MADOGUCHI_STATISTICS_MIN_COUNT


def _counts(received: int, online: int) -> list[str]:
    """Received, online, at the counter and the online share, with small counts hidden."""
    counter = received - online
    if _small(received):
        return [SUPPRESSED] * 4
    if _small(online) or _small(counter):  # either one gives the other back
        return [str(received), SUPPRESSED, SUPPRESSED, SUPPRESSED]
    return [str(received), str(online), str(counter), _percent(online, received)]


@dataclass
class Month:
    received: int = 0
    online: int = 0
    counter: int = 0
    days: list[float] | None = None


def application_rows(municipality: Municipality) -> list[list[str]]:
    """One row per procedure and month (Japan time) in which applications were received."""
    months: dict[tuple[int, str], Month] = defaultdict(Month)
    submitted = Submission.objects.filter(
        municipality=municipality, status=Submission.Status.SUBMITTED
    ).values_list("procedure_id", "submitted_at", "channel")
    for procedure_id, submitted_at, channel in submitted:
        month = months[(procedure_id, timezone.localtime(submitted_at).strftime("%Y-%m"))]
        month.received += 1
        if channel == Submission.Channel.ONLINE:
            month.online += 1
        else:
            month.counter += 1
    decided = Case.objects.filter(municipality=municipality, decided_at__isnull=False)
    for procedure_id, received_at, decided_at in decided.values_list(
        "procedure_id", "received_at", "decided_at"
    ):
        month = months[(procedure_id, timezone.localtime(received_at).strftime("%Y-%m"))]
        month.days = (month.days or []) + [(decided_at - received_at).total_seconds() / 86400]
    procedures = Procedure.objects.in_bulk({key[0] for key in months})
    rows = []
    for (procedure_id, month_label), month in sorted(
        months.items(), key=lambda item: (procedures[item[0][0]].code, item[0][1])
    ):
        procedure = procedures[procedure_id]
        decided = len(month.days or [])
        median = f"{statistics.median(month.days):.1f}" if month.days else ""
        rows.append(
            [
                municipality.code,
                procedure.code,
                procedure.name_ja,
                month_label,
                *_counts(month.received, month.online),
                SUPPRESSED if _small(decided) else median,
            ]
        )
    return rows


def barrier_rows(municipality: Municipality) -> list[list[str]]:
    """The 参考3 table: per 標準化分野 with procedures, then the total."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 9)
    by_procedure: dict[int, str] = {}
    for procedure in Procedure.objects.filter(municipality=municipality):
        by_procedure[procedure.pk] = procedure.domain
        row = counts[procedure.domain]
        flags = (
            True,
            procedure.online_available,
            procedure.requires_paper,
            procedure.requires_attachments,
            procedure.requires_face_to_face,
            procedure.issues_document,
            procedure.collects_fee,
        )
        for index, flag in enumerate(flags):
            row[index] += int(bool(flag))
    submitted = Submission.objects.filter(
        municipality=municipality, status=Submission.Status.SUBMITTED
    ).values_list("procedure_id", "channel")
    for procedure_id, channel in submitted:
        row = counts[by_procedure[procedure_id]]
        row[7] += 1
        row[8] += int(channel == Submission.Channel.ONLINE)
    labels = dict(StandardDomain.choices)
    total = [sum(column) for column in zip(*counts.values(), strict=True)] if counts else [0] * 9
    domains = [domain for domain in labels if domain in counts]
    shown = {domain: _counts(counts[domain][7], counts[domain][8]) for domain in domains}
    _hide_a_second(shown, counts)
    rows = [
        _barrier_row(municipality, str(labels[domain]), counts[domain], shown[domain])
        for domain in domains
    ]
    rows.append(_barrier_row(municipality, TOTAL, total, _counts(total[7], total[8])))
    return rows


def _barrier_row(
    municipality: Municipality, label: str, row: list[int], shown: list[str]
) -> list[str]:
    received, online, _counter, share = shown
    return [municipality.code, label, *map(str, row[:7]), received, online, share]


def _hide_a_second(shown: dict[str, list[str]], counts: dict[str, list[int]]) -> None:
    """A column with one hidden domain would give it back from the total: hide the smallest
    other nonzero one of that column too (secondary suppression)."""
    for column, index in ((0, 7), (1, 8)):
        hidden = [d for d, cells in shown.items() if cells[column] == SUPPRESSED]
        others = [d for d in shown if d not in hidden and counts[d][index] > 0]
        if len(hidden) == 1 and others:
            smallest = min(others, key=lambda d: counts[d][index])
            shown[smallest] = (
                [SUPPRESSED] * 4 if column == 0 else [shown[smallest][0]] + [SUPPRESSED] * 3
            )


def to_csv(columns: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 with BOM, so that Excel opens the Japanese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------------------------------------
# Publishing: two datasets of the platform's own organization, their CSV replaced on each run.

ORGANIZATION = "madoguchi-statistics"
DATASETS = {
    "madoguchi-applications-monthly": {
        "title": "手続ごと・月ごとの申請件数とオンライン利用率（窓口システム）",
        "title_en": "Applications per procedure and month, online share (Madoguchi)",
        "notes": (
            "デジタル市役所「窓口」が受け付けた申請の件数を、手続ごと・月ごとに集計したものです。"
            "オンライン申請と窓口申請の内訳、受付から決定までの日数の中央値を含みます。毎日自動で更新します。"
        ),
        "notes_en": (
            "Applications received by the Madoguchi digital city hall, per procedure and month: "
            "online and at the counter, and the median days from receipt to decision. "
            "Updated automatically every day."
        ),
        "file": "applications-monthly.csv",
        "tags": ["EBPM", "行政手続", "オンライン申請", "統計"],
    },
    "madoguchi-online-barriers": {
        "title": "行政手続のオンライン化の状況（参考3）",
        "title_en": "Online availability of procedures and remaining barriers (Annex 3)",
        "notes": (
            "京都市DX推進のための基本方針の参考3に沿って、手続のオンライン化の状況を分野ごとに集計したものです。"
            "オンライン化済みの手続数、書面・添付書類・対面・交付物・手数料が必要な手続数、オンライン利用率を含みます。"
            "手続カタログと申請の記録から毎日自動で計算します。"
        ),
        "notes_en": (
            "The state of online procedures per domain, following Annex 3 of Kyoto City's DX "
            "policy: procedures online, procedures that still need paper, attachments, a visit, "
            "issue a document or collect a fee, and the share of applications made online. "
            "Computed every day from the procedure catalog and the application records."
        ),
        "file": "online-barriers.csv",
        "tags": ["EBPM", "行政手続", "オンライン化", "参考3"],
    },
}


def publish(municipality: Municipality) -> list[str]:
    """Create or update the statistics datasets and replace their CSV; returns their names."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from madoguchi.opendata import services
    from madoguchi.opendata.models import Dataset, Organization

    with translation.override("ja"):
        tables = {
            "madoguchi-applications-monthly": to_csv(
                APPLICATION_COLUMNS, application_rows(municipality)
            ),
            "madoguchi-online-barriers": to_csv(BARRIER_COLUMNS, barrier_rows(municipality)),
        }
    organization = Organization.objects.filter(name=ORGANIZATION).first()
    if organization is None:
        organization = services.save_organization(
            {
                "name": ORGANIZATION,
                "title": f"{municipality.name_ja} 窓口システム（自動公開）",
                "title_en": f"{municipality.name_en} Madoguchi (published automatically)",
            }
        )
    for name, meta in DATASETS.items():
        dataset = Dataset.objects.filter(name=name).first()
        package = {
            "name": name,
            "title": meta["title"],
            "title_en": meta["title_en"],
            "notes": meta["notes"],
            "notes_en": meta["notes_en"],
            "owner_org": organization.name,
            "license_id": "cc-by-4.0",
            "frequency": "daily",
            "spatial": municipality.name_ja,
            "tags": [{"name": tag} for tag in meta["tags"]],
            "extras": [
                {"key": k, "value": v} for k, v in (dataset.extras if dataset else {}).items()
            ],
        }
        dataset = services.save_dataset(None, package, dataset)
        upload = ContentFile(tables[name], name=meta["file"])
        current = dataset.resources.filter(filename=meta["file"]).first()
        services.save_resource(
            None,
            {"package_id": str(dataset.id), "name": meta["file"], "format": "CSV"},
            upload,
            current,
        )
    return list(DATASETS)

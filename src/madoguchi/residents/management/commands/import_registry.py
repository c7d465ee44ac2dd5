"""manage.py import_registry <dir>: load the registry's CSV files (docs/registry-import.md)."""

import csv
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from madoguchi.organizations.models import Municipality
from madoguchi.residents.importing import ImportRefused, Report, import_registry


class Command(BaseCommand):
    help = "Import persons, households, the tax ledger, certificates and benefit recipients."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--municipality",
            help="全国地方公共団体コード (6 digits); needed when several municipalities exist",
        )
        parser.add_argument("--language", default="ja", choices=["ja", "en"])

    def handle(self, *args: object, **options: object) -> None:
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory")
        municipality = self._municipality(options["municipality"])
        with translation.override(options["language"]):
            started = time.perf_counter()
            try:
                report = import_registry(directory, municipality)
            except ImportRefused as refused:
                self._print_problems(refused.report)
                raise CommandError(
                    _("%(count)d件の問題があるため、何も取り込みませんでした。")
                    % {"count": len(refused.report.problems) + sum(refused.report.more.values())}
                ) from None
            seconds = time.perf_counter() - started
            for file, read in report.files.items():
                self.stdout.write(
                    _("%(file)s: %(rows)d行（%(encoding)s）")
                    % {"file": file, "rows": read.rows, "encoding": read.encoding}
                )
            total = sum(read.rows for read in report.files.values())
            self.stdout.write(
                _("%(total)d行を%(seconds).1f秒で取り込みました。")
                % {"total": total, "seconds": seconds}
            )

    def _municipality(self, code: object) -> Municipality:
        municipalities = Municipality.objects.all()
        if code:
            municipalities = municipalities.filter(code=code)
        found = list(municipalities[:2])
        if len(found) != 1:
            raise CommandError("Name the municipality with --municipality <code>.")
        return found[0]

    def _print_problems(self, report: Report) -> None:
        # CSV, so that the report opens in the same tools as the files.
        writer = csv.writer(self.stderr, lineterminator="")
        writer.writerow([_("ファイル"), _("行"), _("列"), _("問題")])
        for problem in report.problems:
            line = "" if problem.line is None else problem.line
            writer.writerow([problem.file, line, problem.column, problem.message])
        for file, count in report.more.items():
            self.stderr.write(
                _("%(file)s: ほかに%(count)d件の問題があります。") % {"file": file, "count": count}
            )

"""Forms as files that one city can share with another: a version or a draft exported as JSON,
and imported into a draft after the same checks as every edit in the builder."""

import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.procedures.models import Procedure

from .services import DefinitionInvalid, check_definition

FORMAT = "madoguchi-form"
FORMAT_VERSION = 1
MAX_BYTES = 1024 * 1024


def export(procedure: Procedure, schema: dict[str, Any], *, version: int | None) -> bytes:
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "procedure": {
            "code": procedure.code,
            "name": {"ja": procedure.name_ja, "en": procedure.name_en},
            "municipality": procedure.municipality.code,
        },
        "version": version,  # None for a draft
        "exported_at": timezone.now().isoformat(),
        "definition": schema,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def parse(data: bytes) -> dict[str, Any]:
    """The definition held in an exported file; ``DefinitionInvalid`` says what is wrong."""
    if len(data) > MAX_BYTES:
        raise DefinitionInvalid([_("ファイルが大きすぎます（1MBまで）。")])
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DefinitionInvalid(
            [
                _("JSONとして読めません（%(line)s行目付近）。")
                % {"line": getattr(error, "lineno", 1)}
            ]
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DefinitionInvalid(
            [_("窓口のフォームの書き出しファイルではありません（「format」が違います）。")]
        )
    if document.get("format_version") != FORMAT_VERSION:
        raise DefinitionInvalid(
            [
                _(
                    "このファイルの形式の版（%(found)s）には対応していません。対応している版：%(ours)s"
                )
                % {"found": document.get("format_version"), "ours": FORMAT_VERSION}
            ]
        )
    definition = document.get("definition")
    if not isinstance(definition, dict):
        raise DefinitionInvalid([_("ファイルにフォームの定義（「definition」）がありません。")])
    check_definition(definition)
    return definition

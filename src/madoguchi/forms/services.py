"""Writes of form definitions: the builder's draft, its edits, and publishing a version."""

import copy
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.audit import services as audit
from madoguchi.core.i18n import pick
from madoguchi.procedures.models import Procedure

from .models import FormDraft, FormVersion
from .schema import CHOICE_TYPES, FILE_KINDS, KEY_PATTERN, FormSchema, SchemaError
from .selectors import working_definition

TEXT_TYPES = {"text", "textarea", "kana"}
# A condition looks at a single answer a resident gave on an earlier step.
CONDITION_TARGET_TYPES = {
    "text",
    "textarea",
    "kana",
    "number",
    "date",
    "phone",
    "email",
    "yes_no",
    *CHOICE_TYPES,
}
# Step keys that the resident's pages and the builder's own URLs use.
RESERVED_KEYS = {"check", "new"}


class DefinitionInvalid(ValueError):
    """The definition would not work for residents; ``messages`` say why, in the staff's
    language, naming the step or question."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


@transaction.atomic
def publish(procedure: Procedure, schema: dict[str, Any], *, actor: Any = None) -> FormVersion:
    """Publish ``schema`` as the next version; earlier submissions keep their own version."""
    FormSchema.parse(schema)  # refuse a malformed definition before anyone fills it
    latest = (
        FormVersion.objects.select_for_update()
        .filter(procedure=procedure)
        .order_by("-number")
        .first()
    )
    return FormVersion.objects.create(
        procedure=procedure,
        number=(latest.number + 1) if latest else 1,
        schema=schema,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def publish_draft(procedure: Procedure, *, actor: Any) -> FormVersion:
    """Publish the builder's draft and put the procedure online; the draft is used up."""
    draft = FormDraft.objects.select_for_update().get(procedure=procedure)
    check_definition(draft.schema, publishing=True)
    version = publish(procedure, draft.schema, actor=actor)
    if not procedure.online_available:
        procedure.online_available = True
        procedure.save(update_fields=["online_available"])
    draft.delete()
    audit.record(
        actor=actor,
        action="publish_form",
        target=procedure,
        detail={"version": version.number},
    )
    return version


def save_draft(procedure: Procedure, schema: dict[str, Any], *, actor: Any) -> FormDraft:
    """Keep ``schema`` as the procedure's draft if it is a working definition; otherwise raise
    ``DefinitionInvalid`` and leave the stored draft as it was."""
    check_definition(schema)
    draft, _created = FormDraft.objects.update_or_create(
        procedure=procedure, defaults={"schema": schema, "updated_by": actor}
    )
    return draft


@transaction.atomic
def edit_draft(
    procedure: Procedure, edit: Callable[[dict[str, Any]], dict[str, Any]], *, actor: Any
) -> FormDraft:
    """Apply ``edit`` to the definition being built and save it. The procedure's row is held
    meanwhile, so that two staff saving at once apply their edits one after the other."""
    Procedure.objects.select_for_update().filter(pk=procedure.pk).first()
    return save_draft(procedure, edit(working_definition(procedure)), actor=actor)


def discard_draft(procedure: Procedure) -> None:
    FormDraft.objects.filter(procedure=procedure).delete()


# Checks, with messages a clerk can act on. ``FormSchema.parse`` runs last as the final word.


def check_definition(schema: dict[str, Any], *, publishing: bool = False) -> None:
    """A draft may still lack steps or questions; a published form may not."""
    errors: list[str] = []
    steps = schema.get("steps") if isinstance(schema, dict) else None
    if not isinstance(steps, list):
        raise DefinitionInvalid([_("定義に「steps」（ステップの一覧）がありません。")])
    if not steps:
        if publishing:
            raise DefinitionInvalid([_("ステップが1つもありません。ステップを追加してください。")])
        return
    try:
        errors = _check_steps(steps, publishing=publishing)
    except (AttributeError, TypeError, KeyError) as error:  # a list where a dict belongs …
        raise DefinitionInvalid([_("定義の構造が正しくありません。")]) from error
    if not errors:
        try:
            FormSchema.parse(schema if publishing else _without_unfinished(schema))
        except (SchemaError, KeyError, TypeError, ValueError, AttributeError) as error:
            errors.append(_("定義に誤りがあります：%(detail)s") % {"detail": error})
    if errors:
        raise DefinitionInvalid(errors)


def _without_unfinished(schema: dict[str, Any]) -> dict[str, Any]:
    """A draft's steps and groups may still be empty; the rest must parse as it is."""
    steps = []
    for step in schema["steps"]:
        questions = [
            q for q in step.get("questions") or [] if q.get("type") != "group" or q.get("questions")
        ]
        steps.append({**step, "questions": questions})
    return {**schema, "steps": steps}


def _check_steps(steps: list[Any], *, publishing: bool) -> list[str]:
    errors: list[str] = []
    step_keys: set[str] = set()
    seen: set[str] = set()
    earlier: dict[str, str] = {}  # key -> type of the questions of earlier steps
    for step in steps:
        key = step.get("key", "")
        name = pick(step.get("title")) or key
        if not KEY_PATTERN.match(str(key)) or key in RESERVED_KEYS:
            errors.append(_("ステップ「%(step)s」のキーが正しくありません。") % {"step": name})
        if key in step_keys:
            errors.append(_("ステップのキー「%(key)s」が重複しています。") % {"key": key})
        step_keys.add(key)
        if not (step.get("title") or {}).get("ja"):
            errors.append(_("ステップ「%(step)s」の見出し（日本語）がありません。") % {"step": key})
        errors += _check_condition(step.get("show_if"), earlier, _("ステップ「%s」") % name)
        questions = step.get("questions") or []
        if not questions and publishing:
            errors.append(_("ステップ「%(step)s」に質問がありません。") % {"step": name})
        for question in questions:
            errors += _check_question(
                question, earlier, seen, in_group=False, publishing=publishing
            )
            seen.add(question.get("key", ""))
        earlier.update({q.get("key", ""): q.get("type", "") for q in questions})
    return errors


def _check_condition(condition: Any, earlier: dict[str, str], where: str) -> list[str]:
    if not condition:
        return []
    target = condition.get("question", "")
    if target not in earlier:
        return [
            _("%(where)s の表示条件の質問「%(key)s」は、前のステップにありません。")
            % {"where": where, "key": target}
        ]
    if earlier[target] not in CONDITION_TARGET_TYPES:
        return [
            _("%(where)s の表示条件には、質問「%(key)s」の種類は使えません。")
            % {"where": where, "key": target}
        ]
    if "equals" not in condition and not condition.get("in"):
        return [_("%(where)s の表示条件に値がありません。") % {"where": where}]
    return []


def _check_question(
    question: dict[str, Any],
    earlier: dict[str, str],
    seen: set[str],
    *,
    in_group: bool,
    publishing: bool,
) -> list[str]:
    key = question.get("key", "")
    where = _("質問「%s」") % (pick(question.get("label")) or key)
    errors = []
    if not KEY_PATTERN.match(str(key)):
        errors.append(_("%(where)s のキーが正しくありません。") % {"where": where})
    if key in seen:
        errors.append(_("質問のキー「%(key)s」が重複しています。") % {"key": key})
    qtype = question.get("type")
    if qtype != "info" and not (question.get("label") or {}).get("ja"):
        errors.append(_("%(where)s の項目名（日本語）がありません。") % {"where": where})
    if in_group and question.get("show_if"):
        errors.append(
            _("%(where)s：繰り返しの中の質問に表示条件は付けられません。") % {"where": where}
        )
    else:
        errors += _check_condition(question.get("show_if"), earlier, where)
    if qtype in CHOICE_TYPES and not (question.get("choices") or question.get("choices_source")):
        errors.append(_("%(where)s に選択肢がありません。") % {"where": where})
    errors += _check_values(question, where)
    for low, high in (("min_length", "max_length"), ("min", "max"), ("min_items", "max_items")):
        if _greater(question.get(low), question.get(high)):
            errors.append(_("%(where)s の下限が上限より大きくなっています。") % {"where": where})
    pattern = question.get("pattern")
    if pattern:
        try:
            re.compile(pattern)
        except re.error:
            errors.append(_("%(where)s の入力パターンが正しくありません。") % {"where": where})
    if qtype == "group":
        if in_group:
            errors.append(_("%(where)s：繰り返しの中に繰り返しは置けません。") % {"where": where})
        inner: set[str] = set()
        subquestions = question.get("questions") or []
        if not subquestions and publishing:
            errors.append(_("%(where)s に繰り返す質問がありません。") % {"where": where})
        for sub in subquestions:
            errors += _check_question(
                sub, earlier, seen | inner, in_group=True, publishing=publishing
            )
            inner.add(sub.get("key", ""))
    return errors


def _check_values(question: dict[str, Any], where: str) -> list[str]:
    """Numbers, dates and file kinds as the engine needs them (an imported file may hold
    anything)."""
    errors = []
    qtype = question.get("type")
    numbers = ["min_length", "max_length", "max_size_mb", "min_items", "max_items"]
    if qtype == "number":
        numbers += ["min", "max"]
    for name in numbers:
        value = question.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            errors.append(
                _("%(where)s の「%(name)s」は整数にしてください。") % {"where": where, "name": name}
            )
    if qtype == "date":
        for name in ("min", "max"):
            value = question.get(name)
            try:
                if value:
                    dt.date.fromisoformat(str(value))
            except ValueError:
                errors.append(
                    _("%(where)s の「%(name)s」は 2024-04-01 の形の日付にしてください。")
                    % {"where": where, "name": name}
                )
    unknown = set(question.get("accept") or ()) - FILE_KINDS
    if unknown:
        errors.append(
            _("%(where)s の受け付けるファイルの種類「%(kinds)s」は使えません。")
            % {"where": where, "kinds": ", ".join(sorted(map(str, unknown)))}
        )
    return errors


def _greater(low: Any, high: Any) -> bool:
    comparable = isinstance(low, int | str) and type(low) is type(high)
    return comparable and low > high


# Edits of a definition (pure: each returns a new dict, the caller saves it).


def new_definition() -> dict[str, Any]:
    return {"steps": []}


def question_keys(schema: dict[str, Any]) -> list[str]:
    """Every question key in form order, group sub-questions after their group."""
    keys = []
    for step in schema.get("steps", []):
        for question in step.get("questions", []):
            keys.append(question["key"])
            keys += [sub["key"] for sub in question.get("questions", [])]
    return keys


def suggested_key(schema: dict[str, Any], prefix: str) -> str:
    """A key not used yet (``q3``, ``step2``), which staff may change."""
    used = {s["key"] for s in schema["steps"]} | set(question_keys(schema))
    number = 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


def insert_step(schema: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(schema)
    schema["steps"].append({**new, "questions": []})
    return schema


def insert_question(
    schema: dict[str, Any], step_key: str, new: dict[str, Any], group: str = ""
) -> dict[str, Any]:
    schema = copy.deepcopy(schema)
    _questions(schema, step_key, group).append(new)
    return schema


def _step(schema: dict[str, Any], step_key: str) -> dict[str, Any]:
    for step in schema["steps"]:
        if step["key"] == step_key:
            return step
    raise KeyError(step_key)


def _questions(schema: dict[str, Any], step_key: str, group: str = "") -> list[dict[str, Any]]:
    questions = _step(schema, step_key)["questions"]
    if not group:
        return questions
    for question in questions:
        if question["key"] == group and question.get("type") == "group":
            return question.setdefault("questions", [])
    raise KeyError(group)


def find_question(
    schema: dict[str, Any], step_key: str, key: str, group: str = ""
) -> dict[str, Any]:
    for question in _questions(schema, step_key, group):
        if question["key"] == key:
            return question
    raise KeyError(key)


def replace_step(schema: dict[str, Any], step_key: str, new: dict[str, Any]) -> dict[str, Any]:
    """Put ``new`` (without questions) in place of the step; a new key is followed by the
    conditions that named nothing else."""
    schema = copy.deepcopy(schema)
    step = _step(schema, step_key)
    step.update({k: v for k, v in new.items() if k != "questions"})
    if not new.get("show_if"):
        step.pop("show_if", None)
    return schema


def replace_question(
    schema: dict[str, Any], step_key: str, key: str, new: dict[str, Any], group: str = ""
) -> dict[str, Any]:
    """Put ``new`` in place of the question; conditions on its old key follow a new key."""
    schema = copy.deepcopy(schema)
    questions = _questions(schema, step_key, group)
    index = next(i for i, q in enumerate(questions) if q["key"] == key)
    if questions[index].get("type") == "group":
        new = {**new, "questions": questions[index].get("questions", [])}
    questions[index] = new
    if new["key"] != key:
        _rename_conditions(schema, key, new["key"])
    return schema


def _rename_conditions(schema: dict[str, Any], old: str, new: str) -> None:
    def follow(item: dict[str, Any]) -> None:
        if (item.get("show_if") or {}).get("question") == old:
            item["show_if"]["question"] = new

    for step in schema["steps"]:
        follow(step)
        for question in step["questions"]:
            follow(question)
            for sub in question.get("questions", []):
                follow(sub)


def move(
    schema: dict[str, Any], step_key: str, key: str = "", *, offset: int, group: str = ""
) -> dict[str, Any]:
    """Move a step (no ``key``) or a question one place up (-1) or down (+1)."""
    schema = copy.deepcopy(schema)
    items = _questions(schema, step_key, group) if key else schema["steps"]
    wanted = key or step_key
    index = next(i for i, item in enumerate(items) if item["key"] == wanted)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return schema


def remove(
    schema: dict[str, Any], step_key: str, key: str = "", *, group: str = ""
) -> dict[str, Any]:
    """Remove a step (no ``key``) or a question."""
    schema = copy.deepcopy(schema)
    if key:
        questions = _questions(schema, step_key, group)
        questions[:] = [q for q in questions if q["key"] != key]
    else:
        schema["steps"] = [s for s in schema["steps"] if s["key"] != step_key]
    return schema

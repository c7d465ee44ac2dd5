"""The no-code form builder (ノーコード): staff with the 管理者 role of the section that owns a
procedure edit a draft of its form step by step, preview it as residents will see it, publish
it as a new version, and share it as JSON. Plain HTML forms: no JavaScript needed."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.permissions import staff_required
from madoguchi.audit import services as audit
from madoguchi.core.i18n import pick
from madoguchi.forms import engine, exchange
from madoguchi.forms import selectors as forms_selectors
from madoguchi.forms import services as forms_services
from madoguchi.forms.models import FormDraft
from madoguchi.forms.schema import FormSchema
from madoguchi.forms.services import DefinitionInvalid
from madoguchi.forms.sources import ChoiceContext
from madoguchi.procedures.models import Procedure

from ..builder_forms import ImportForm, QuestionForm, StepForm, question_types, type_label


def _builder_url(procedure: Procedure) -> str:
    return reverse("staff:form-builder", kwargs={"procedure_id": procedure.pk})


Edit = Callable[[dict[str, Any]], dict[str, Any]]


def _save(request: HttpRequest, procedure: Procedure, edit: Edit, form: Any = None) -> bool:
    """Apply ``edit`` to the draft, or say why not, on ``form`` or as messages (the stored
    draft stays as it was)."""
    try:
        forms_services.edit_draft(procedure, edit, actor=request.user)
    except (KeyError, StopIteration) as missing:  # a step or question that is not there (any more)
        raise Http404 from missing
    except DefinitionInvalid as invalid:
        for message in invalid.messages:
            if form is None:
                messages.error(request, message)
            else:
                form.add_error(None, message)
        return False
    return True


@require_GET
@staff_required
def form_list(request: HttpRequest) -> HttpResponse:
    procedures = forms_selectors.editable_procedures(request.user).prefetch_related("form_versions")
    rows = [
        (p, forms_selectors.current_version(p), forms_selectors.draft_of(p)) for p in procedures
    ]
    return render(request, "staff/forms/list.html", {"rows": rows})


@require_GET
@staff_required
def builder(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = forms_selectors.procedure_for_builder(request.user, procedure_id)
    schema = forms_selectors.working_definition(procedure)
    return render(
        request,
        "staff/forms/builder.html",
        {
            "procedure": procedure,
            "steps": _outline(schema),
            "draft": forms_selectors.draft_of(procedure),
            "versions": forms_selectors.versions(procedure),
            "types": question_types(),
            "group_types": question_types(in_group=True),
        },
    )


def _outline(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The definition as the builder page lists it, with what each row needs to show."""

    def row(question: dict[str, Any]) -> dict[str, Any]:
        return {
            **question,
            "label_text": pick(question.get("label")) or pick(question.get("body"))[:40],
            "type_label": type_label(question.get("type", "")),
            "subquestions": [row(sub) for sub in question.get("questions", [])],
        }

    return [
        {**step, "title_text": pick(step.get("title")), "rows": [row(q) for q in step["questions"]]}
        for step in schema.get("steps", [])
    ]


@require_POST
@staff_required
def change(request: HttpRequest, procedure_id: int) -> HttpResponse:
    """Move or remove a step or a question (each a button of the builder page)."""
    procedure = forms_selectors.procedure_for_builder(request.user, procedure_id)
    action = request.POST.get("action", "")
    step = request.POST.get("step", "")
    key = request.POST.get("key", "")
    group = request.POST.get("group", "")
    edit: Edit
    if action in {"up", "down"}:
        offset = -1 if action == "up" else 1

        def edit(schema: dict[str, Any]) -> dict[str, Any]:
            return forms_services.move(schema, step, key, offset=offset, group=group)

        done = _("順番を変えました。")
    elif action == "remove":

        def edit(schema: dict[str, Any]) -> dict[str, Any]:
            return forms_services.remove(schema, step, key, group=group)

        done = _("削除しました。")
    elif action == "discard":
        forms_services.discard_draft(procedure)
        messages.success(request, _("下書きを破棄しました。"))
        return redirect(_builder_url(procedure))
    else:
        raise Http404
    if _save(request, procedure, edit):
        messages.success(request, done)
    return redirect(_builder_url(procedure))


def _condition_targets(schema: dict[str, Any], step_key: str) -> list[tuple[str, str]]:
    """The questions a condition in ``step_key`` may look at: single answers of earlier steps
    (all steps for a step not added yet)."""
    targets = []
    for step in schema["steps"]:
        if step["key"] == step_key:
            break
        for question in step["questions"]:
            if question.get("type") in forms_services.CONDITION_TARGET_TYPES:
                label = pick(question.get("label")) or question["key"]
                targets.append((question["key"], f"{label} ({question['key']})"))
    return targets


def _used_keys(schema: dict[str, Any], own: str = "") -> set[str]:
    steps = {s["key"] for s in schema["steps"]}
    return (steps | set(forms_services.question_keys(schema))) - {own}


@require_http_methods(["GET", "POST"])
@staff_required
def step_edit(request: HttpRequest, procedure_id: int, step: str = "") -> HttpResponse:
    """Add a step (no ``step``) or change one."""
    procedure = forms_selectors.procedure_for_builder(request.user, procedure_id)
    schema = forms_selectors.working_definition(procedure)
    existing = next((s for s in schema["steps"] if s["key"] == step), None)
    if step and existing is None:
        raise Http404
    options = {
        "used_keys": _used_keys(schema, step),
        "earlier": _condition_targets(schema, step),
    }
    if request.method == "POST":
        form = StepForm(request.POST, **options)
        if form.is_valid():
            new = form.definition()

            def edit(schema: dict[str, Any]) -> dict[str, Any]:
                if existing:
                    return forms_services.replace_step(schema, step, new)
                return forms_services.insert_step(schema, new)

            if _save(request, procedure, edit, form):
                messages.success(request, _("ステップを保存しました。"))
                return redirect(_builder_url(procedure))
    else:
        initial = (
            StepForm.initial_from(existing)
            if existing
            else {"key": forms_services.suggested_key(schema, "step")}
        )
        form = StepForm(initial=initial, **options)
    return render(
        request,
        "staff/forms/step_edit.html",
        {"procedure": procedure, "form": form, "step": existing},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def question_edit(
    request: HttpRequest, procedure_id: int, step: str, key: str = ""
) -> HttpResponse:
    """Add a question (no ``key``; its type from ``?type=``) or change one. ``?group=`` names
    the repeating group the question belongs to."""
    procedure = forms_selectors.procedure_for_builder(request.user, procedure_id)
    schema = forms_selectors.working_definition(procedure)
    group = request.GET.get("group", "")
    try:
        existing = forms_services.find_question(schema, step, key, group) if key else None
        if group:
            forms_services.find_question(schema, step, group)
        step_def = next(s for s in schema["steps"] if s["key"] == step)
    except (KeyError, StopIteration) as missing:
        raise Http404 from missing
    qtype = existing["type"] if existing else request.GET.get("type", "")
    if qtype not in dict(question_types(in_group=bool(group))):
        raise Http404
    options = {
        "qtype": qtype,
        "in_group": bool(group),
        "used_keys": _used_keys(schema, key),
        "earlier": _condition_targets(schema, step),
    }
    if request.method == "POST":
        form = QuestionForm(request.POST, **options)
        if form.is_valid():
            new = form.definition()

            def edit(schema: dict[str, Any]) -> dict[str, Any]:
                if existing:
                    return forms_services.replace_question(schema, step, key, new, group)
                return forms_services.insert_question(schema, step, new, group)

            if _save(request, procedure, edit, form):
                messages.success(request, _("質問を保存しました。"))
                return redirect(_builder_url(procedure))
    else:
        initial = (
            QuestionForm.initial_from(existing)
            if existing
            else {"key": forms_services.suggested_key(schema, "q"), "required": qtype != "info"}
        )
        form = QuestionForm(initial=initial, **options)
    return render(
        request,
        "staff/forms/question_edit.html",
        {
            "procedure": procedure,
            "form": form,
            "question": existing,
            "type_label": type_label(qtype),
            "step": step_def,
            "step_title": pick(step_def.get("title")) or step,
            "group": group,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def preview(request: HttpRequest, procedure_id: int) -> HttpResponse:
    """The draft's steps as a resident sees them, through the portal's own template and
    engine: conditions and repeating groups work, answers are validated. The answers live only
    in the staff member's session; no application or attachment is stored."""
    procedure = forms_selectors.procedure_for_builder(request.user, procedure_id)
    try:
        schema = FormSchema.parse(forms_selectors.working_definition(procedure))
    except ValueError:
        messages.error(request, _("プレビューするには、質問のあるステップが必要です。"))
        return redirect(_builder_url(procedure))
    session_key = f"form-preview-{procedure.pk}"
    if "step" not in request.GET:
        request.session[session_key] = {}
    answers = request.session.get(session_key, {})
    visible = schema.visible_steps(answers)
    try:
        current = schema.step(request.GET.get("step") or visible[0].key)
    except KeyError as missing:
        raise Http404 from missing
    url = reverse("staff:form-preview", kwargs={"procedure_id": procedure.pk})
    context = ChoiceContext()
    if request.method == "POST":
        form, to_save = engine.posted_step_form(
            current, context, request.POST, request.FILES, answers=answers
        )
        if to_save and form.is_valid():
            answers = {**answers, **engine.to_answers(form)}
            request.session[session_key] = answers
            following = schema.next_step(current.key, answers)
            if following is None:
                messages.success(
                    request, _("プレビューの最後のステップです。入力に誤りはありません。")
                )
                return redirect(_builder_url(procedure))
            return redirect(f"{url}?step={following.key}")
    else:
        form = engine.step_form(current, context, answers=answers)
    previous = schema.previous_step(current.key, answers)
    visible = schema.visible_steps(answers)
    return render(
        request,
        "staff/forms/preview.html",
        {
            "procedure": procedure,
            "submission": {"procedure": procedure},
            "step": current,
            "form": form,
            "step_number": visible.index(current) + 1 if current in visible else 1,
            "step_total": len(visible),
            "back_url": f"{url}?step={previous.key}" if previous else _builder_url(procedure),
        },
    )


@require_POST
@staff_required
def publish(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = forms_selectors.procedure_for_builder(request.user, procedure_id)
    try:
        version = forms_services.publish_draft(procedure, actor=request.user)
    except FormDraft.DoesNotExist:
        # Nothing edited yet, or a second click after the draft was published.
        messages.error(request, _("公開する下書きがありません。先に質問を追加・変更してください。"))
        return redirect(_builder_url(procedure))
    except DefinitionInvalid as invalid:
        for message in invalid.messages:
            messages.error(request, message)
        return redirect(_builder_url(procedure))
    messages.success(
        request,
        _("第%(number)d版を公開しました。この手続はオンラインで申請できます。")
        % {"number": version.number},
    )
    return redirect(_builder_url(procedure))


def _download(procedure: Procedure, body: bytes, suffix: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{procedure.code}-{suffix}.json"'
    return response


@require_GET
@staff_required
def export_draft(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = forms_selectors.procedure_for_builder(request.user, procedure_id)
    schema = forms_selectors.working_definition(procedure)
    return _download(procedure, exchange.export(procedure, schema, version=None), "draft")


@require_GET
@staff_required
def export_version(request: HttpRequest, procedure_id: int, number: int) -> HttpResponse:
    procedure = forms_selectors.procedure_for_builder(request.user, procedure_id)
    version = forms_selectors.version(procedure, number)
    body = exchange.export(procedure, version.schema, version=version.number)
    return _download(procedure, body, f"v{version.number}")


@require_http_methods(["GET", "POST"])
@staff_required
def import_definition(request: HttpRequest, procedure_id: int) -> HttpResponse:
    """Replace the draft with an exported file, after the checks of every edit: a file with any
    error changes nothing."""
    procedure = forms_selectors.procedure_for_builder(request.user, procedure_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            definition = exchange.parse(form.cleaned_data["file"].read())
        except DefinitionInvalid as invalid:
            for message in invalid.messages:
                form.add_error("file", message)
        else:
            forms_services.save_draft(procedure, definition, actor=request.user)
            audit.record(actor=request.user, action="import_form", target=procedure)
            messages.success(
                request, _("ファイルを下書きに読み込みました。確認してから公開してください。")
            )
            return redirect(_builder_url(procedure))
    return render(request, "staff/forms/import.html", {"procedure": procedure, "form": form})

from django.urls import path

from .views import (
    attachments,
    bulk,
    cases,
    counter,
    eligibility,
    form_builder,
    message_templates,
    overview,
    registry_import,
)

app_name = "staff"

urlpatterns = [
    path("", cases.queue, name="queue"),
    path("bulk/", bulk.bulk, name="bulk"),
    path("overview/", overview.overview, name="overview"),
    path("cases/<int:case_id>/", cases.case_detail, name="case"),
    path("attachments/<uuid:attachment>/", attachments.download_attachment, name="attachment"),
    path("message-templates/", message_templates.template_list, name="message-templates"),
    path(
        "message-templates/<slug:event>/<str:language>/",
        message_templates.template_edit,
        name="message-template",
    ),
    path("counter/", counter.search, name="counter"),
    path("counter/people/<int:person_id>/", counter.person, name="counter-person"),
    path("counter/people/<int:person_id>/start/", counter.start, name="counter-start"),
    path("counter/applications/<uuid:draft>/confirm/", counter.confirm, name="counter-confirm"),
    path("counter/applications/<uuid:draft>/done/", counter.done, name="counter-done"),
    path("counter/applications/<uuid:draft>/<slug:step>/", counter.step, name="counter-step"),
    path("eligibility/", eligibility.runs, name="eligibility"),
    path("registry-import/", registry_import.registry_import, name="registry-import"),
    path("eligibility/<int:run_id>/", eligibility.run_detail, name="eligibility-run"),
    path("eligibility/<int:run_id>/approve/", eligibility.approve, name="eligibility-approve"),
    path(
        "eligibility/<int:run_id>/<slug:program>/<int:ward_id>/",
        eligibility.findings,
        name="eligibility-findings",
    ),
    # The no-code form builder.
    path("forms/", form_builder.form_list, name="forms"),
    path("forms/<int:procedure_id>/", form_builder.builder, name="form-builder"),
    path("forms/<int:procedure_id>/change/", form_builder.change, name="form-change"),
    path("forms/<int:procedure_id>/steps/new/", form_builder.step_edit, name="form-step-new"),
    path("forms/<int:procedure_id>/steps/<slug:step>/", form_builder.step_edit, name="form-step"),
    path(
        "forms/<int:procedure_id>/steps/<slug:step>/questions/new/",
        form_builder.question_edit,
        name="form-question-new",
    ),
    path(
        "forms/<int:procedure_id>/steps/<slug:step>/questions/<slug:key>/",
        form_builder.question_edit,
        name="form-question",
    ),
    path("forms/<int:procedure_id>/preview/", form_builder.preview, name="form-preview"),
    path("forms/<int:procedure_id>/publish/", form_builder.publish, name="form-publish"),
    path("forms/<int:procedure_id>/export/", form_builder.export_draft, name="form-export"),
    path(
        "forms/<int:procedure_id>/versions/<int:number>/export/",
        form_builder.export_version,
        name="form-version-export",
    ),
    path("forms/<int:procedure_id>/import/", form_builder.import_definition, name="form-import"),
]

from django.urls import path

from .views import (
    attachments,
    bulk,
    cases,
    eligibility,
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
    path("eligibility/", eligibility.runs, name="eligibility"),
    path("registry-import/", registry_import.registry_import, name="registry-import"),
    path("eligibility/<int:run_id>/", eligibility.run_detail, name="eligibility-run"),
    path("eligibility/<int:run_id>/approve/", eligibility.approve, name="eligibility-approve"),
    path(
        "eligibility/<int:run_id>/<slug:program>/<int:ward_id>/",
        eligibility.findings,
        name="eligibility-findings",
    ),
]

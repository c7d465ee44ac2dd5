from django.urls import path

from .views import attachments, bulk, cases, counter, eligibility, message_templates, overview

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
    path("eligibility/<int:run_id>/", eligibility.run_detail, name="eligibility-run"),
    path("eligibility/<int:run_id>/approve/", eligibility.approve, name="eligibility-approve"),
    path(
        "eligibility/<int:run_id>/<slug:program>/<int:ward_id>/",
        eligibility.findings,
        name="eligibility-findings",
    ),
]

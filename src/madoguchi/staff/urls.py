from django.urls import path

from .views import cases, eligibility

app_name = "staff"

urlpatterns = [
    path("", cases.queue, name="queue"),
    path("cases/<int:case_id>/", cases.case_detail, name="case"),
    path("eligibility/", eligibility.runs, name="eligibility"),
    path("eligibility/<int:run_id>/", eligibility.run_detail, name="eligibility-run"),
    path("eligibility/<int:run_id>/approve/", eligibility.approve, name="eligibility-approve"),
    path(
        "eligibility/<int:run_id>/<slug:program>/<int:ward_id>/",
        eligibility.findings,
        name="eligibility-findings",
    ),
]

from django.urls import path

from .views import applications, apply, catalog, inbox, notices

app_name = "portal"

urlpatterns = [
    path("", catalog.home, name="home"),
    path("procedures/", catalog.procedure_list, name="procedures"),
    path("procedures/<slug:code>/", catalog.procedure_detail, name="procedure"),
    path("procedures/<slug:code>/apply/", apply.start_application, name="apply"),
    path("applications/", applications.my_applications, name="applications"),
    path("applications/draft/<uuid:draft>/check/", apply.check_answers, name="check"),
    path("applications/draft/<uuid:draft>/<slug:step>/", apply.form_step, name="step"),
    path("applications/<str:reference>/submitted/", apply.submitted, name="submitted"),
    path("applications/<str:reference>/", applications.application_detail, name="application"),
    path(
        "applications/<str:reference>/documents/<int:document_id>/",
        applications.download_document,
        name="download",
    ),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:message_id>/", inbox.message_detail, name="message"),
    path("inbox/settings/", notices.notice_settings, name="notice-settings"),
]

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("procedures/", views.procedure_list, name="procedures"),
    path("procedures/<slug:code>/", views.procedure_detail, name="procedure"),
    path("procedures/<slug:code>/apply/", views.start_application, name="apply"),
    path("applications/", views.my_applications, name="applications"),
    path("applications/draft/<uuid:draft>/check/", views.check_answers, name="check"),
    path("applications/draft/<uuid:draft>/<slug:step>/", views.form_step, name="step"),
    path("applications/<str:reference>/submitted/", views.submitted, name="submitted"),
    path("applications/<str:reference>/", views.application_detail, name="application"),
    path(
        "applications/<str:reference>/documents/<int:document_id>/",
        views.download_document,
        name="download",
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:message_id>/", views.message_detail, name="message"),
]

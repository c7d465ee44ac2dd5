from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
]

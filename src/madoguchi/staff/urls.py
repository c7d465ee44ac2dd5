from django.urls import path

from .views import cases

app_name = "staff"

urlpatterns = [
    path("", cases.queue, name="queue"),
    path("cases/<int:case_id>/", cases.case_detail, name="case"),
]

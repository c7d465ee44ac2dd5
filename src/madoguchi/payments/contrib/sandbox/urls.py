from django.urls import path

from . import views

app_name = "payments_sandbox"

urlpatterns = [
    path("checkout/<str:charge_id>/", views.checkout, name="checkout"),
]

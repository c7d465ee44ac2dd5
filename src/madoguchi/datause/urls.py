from django.urls import path

from . import views

app_name = "datause"

urlpatterns = [path("", views.my_data_uses, name="list")]

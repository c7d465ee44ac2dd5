from django.urls import path

from .views import members, staff

app_name = "dataportal-staff"

urlpatterns = [
    path("", staff.dataset_list, name="datasets"),
    # No dataset address below has "members" where these do: no dataset's name can take them.
    path("organization/<slug:name>/members/", members.members, name="organization-members"),
    path(
        "organization/<slug:name>/members/remove/",
        members.remove_member,
        name="organization-member-remove",
    ),
    path("new/", staff.dataset_edit, name="dataset-create"),
    path("<slug:name>/", staff.dataset_detail, name="dataset"),
    path("<slug:name>/edit/", staff.dataset_edit, name="dataset-edit"),
    path("<slug:name>/resources/new/", staff.resource_upload, name="resource-create"),
    path(
        "<slug:name>/resources/<str:resource_id>/replace/",
        staff.resource_upload,
        name="resource-replace",
    ),
]

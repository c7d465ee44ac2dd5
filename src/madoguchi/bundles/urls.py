from django.urls import path

from .views import counter, portal, staff

app_name = "bundles"

urlpatterns = [
    path("life-events/", portal.bundle_list, name="list"),
    path("life-events/<slug:slug>/", portal.bundle_detail, name="detail"),
    path("life-events/<slug:slug>/start/", portal.start, name="start"),
    path("life-events/drafts/<uuid:draft>/check/", portal.check, name="check"),
    path("life-events/drafts/<uuid:draft>/<slug:step>/", portal.step, name="step"),
    path("life-events/applications/<uuid:application>/", portal.application, name="application"),
    path("staff/life-events/", staff.bundle_list, name="staff-list"),
    path(
        "staff/counter/people/<int:person_id>/life-events/<slug:slug>/start/",
        counter.start,
        name="counter-start",
    ),
    path(
        "staff/counter/life-events/<uuid:draft>/confirm/", counter.confirm, name="counter-confirm"
    ),
    path("staff/counter/life-events/<uuid:draft>/done/", counter.done, name="counter-done"),
    path("staff/counter/life-events/<uuid:draft>/<slug:step>/", counter.step, name="counter-step"),
]

from django.urls import path

from .views import (
    applications,
    apply,
    attachments,
    catalog,
    corrections,
    inbox,
    notices,
    payments,
    verify,
)

app_name = "portal"

urlpatterns = [
    path("", catalog.home, name="home"),
    path("procedures/", catalog.procedure_list, name="procedures"),
    path("procedures/<slug:code>/", catalog.procedure_detail, name="procedure"),
    path("procedures/<slug:code>/apply/", apply.start_application, name="apply"),
    path("applications/", applications.my_applications, name="applications"),
    path("applications/draft/<uuid:draft>/check/", apply.check_answers, name="check"),
    path("applications/draft/<uuid:draft>/pay/", payments.pay_draft, name="pay-draft"),
    path("payments/<uuid:payment>/return/", payments.payment_return, name="payment-return"),
    path("applications/draft/<uuid:draft>/<slug:step>/", apply.form_step, name="step"),
    path(
        "applications/attachments/<uuid:attachment>/",
        attachments.download_attachment,
        name="attachment",
    ),
    path("applications/<str:reference>/submitted/", apply.submitted, name="submitted"),
    path("applications/<str:reference>/", applications.application_detail, name="application"),
    path("applications/<str:reference>/pay/", payments.pay_application, name="pay"),
    path("applications/<str:reference>/correction/", corrections.correction, name="correction"),
    path("applications/<str:reference>/withdraw/", corrections.withdraw, name="withdraw"),
    path(
        "applications/<str:reference>/documents/<int:document_id>/",
        applications.download_document,
        name="download",
    ),
    path("inbox/", inbox.inbox, name="inbox"),
    path("verify/", verify.verify, name="verify"),
    path("verify/<str:code>/", verify.verify_code, name="verify-code"),
    path("inbox/<int:message_id>/", inbox.message_detail, name="message"),
    path("inbox/settings/", notices.notice_settings, name="notice-settings"),
]

"""What residents are told, per event. Subjects are gettext strings; bodies are templates in
``templates/notifications/messages/<event>.txt``, both rendered in the recipient's language.
Staff may replace either per language (``MessageTemplate``); these files stay the defaults."""

from django.utils.translation import gettext_lazy as _

SUBJECTS = {
    "application_received": _("申請を受け付けました（受付番号 %(reference)s）"),
    "correction_requested": _("申請内容の補正をお願いします（受付番号 %(reference)s）"),
    "payment_required": _("手数料のお支払いをお願いします（受付番号 %(reference)s）"),
    "application_approved": _("申請が承認されました（受付番号 %(reference)s）"),
    "application_rejected": _("申請についてのお知らせ（受付番号 %(reference)s）"),
    "document_issued": _("交付物をダウンロードできます（受付番号 %(reference)s）"),
    "application_withdrawn": _("申請を取り下げました（受付番号 %(reference)s）"),
    "payment_refunded": _("手数料を返金しました（受付番号 %(reference)s）"),
    # Proactive notices (eligibility): the city tells residents before they ask.
    "eligibility_new": _("%(program)sを受けられます"),
    "eligibility_possible": _("%(program)sを受けられる可能性があります"),
}

# The placeholders a staff-edited template may use, with what they hold.
PLACEHOLDERS = {
    "reference": _("受付番号"),
    "procedure": _("手続名"),
    "office": _("担当課"),
    "reason": _("決定の理由"),
    "message": _("補正の内容"),
    "fee": _("手数料（円）"),
    "amount": _("返金額（円）"),
}
# The events staff may reword with these placeholders (eligibility notices explain their
# reasons with data of their own and keep their file templates).
EDITABLE = [
    "application_received",
    "correction_requested",
    "payment_required",
    "application_approved",
    "application_rejected",
    "document_issued",
    "application_withdrawn",
    "payment_refunded",
]

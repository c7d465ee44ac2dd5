"""What residents are told, per event. Subjects are gettext strings; bodies are templates in
``templates/notifications/messages/<event>.txt``, both rendered in the recipient's language."""

from django.utils.translation import gettext_lazy as _

SUBJECTS = {
    "application_received": _("申請を受け付けました（受付番号 %(reference)s）"),
    "application_approved": _("申請が承認されました（受付番号 %(reference)s）"),
    "application_rejected": _("申請についてのお知らせ（受付番号 %(reference)s）"),
    "document_issued": _("交付物をダウンロードできます（受付番号 %(reference)s）"),
    # Proactive notices (eligibility): the city tells residents before they ask.
    "eligibility_new": _("%(program)sを受けられます"),
    "eligibility_possible": _("%(program)sを受けられる可能性があります"),
}

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import AuditAnchor, AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["sequence", "at", "who", "action", "target_type", "target_id", "purpose"]
    list_filter = ["action", "target_type"]
    # Never the actor itself: a resident's name would be personal data shown unaudited.
    exclude = ["actor"]

    @admin.display(description=_("操作者"))
    def who(self, entry: AuditEntry) -> str:
        if entry.actor_id is None:
            return gettext("システム")
        if entry.actor_kind == "staff":
            return entry.actor.username
        return f"{gettext('住民')} #{entry.actor_id}"

    def get_queryset(self, request: object) -> object:
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(AuditAnchor)
class AuditAnchorAdmin(admin.ModelAdmin):
    list_display = ["created_at", "sequence", "head_hash"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

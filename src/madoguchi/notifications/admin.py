from django.contrib import admin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["message_id", "channel", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["channel", "status"]
    readonly_fields = ["message", "channel", "status", "attempts", "last_error", "sent_at"]

from django.contrib import admin

from .models import Procedure


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_ja",
        "domain",
        "online_available",
        "fee_kind",
        "fee_yen",
        "uses_my_number",
        "retention_days",
        "draft_retention_days",
    ]
    list_filter = ["municipality", "domain", "online_available", "national_priority"]
    search_fields = ["code", "name_ja", "name_en"]

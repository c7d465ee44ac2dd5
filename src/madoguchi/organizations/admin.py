from django.contrib import admin

from .models import Municipality, OrgUnit


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "prefecture_ja"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name_ja", "kind", "code", "function", "parent", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name_ja", "name_en", "code"]

from django.contrib import admin

from .models import Bundle, BundleComponent


class BundleComponentInline(admin.TabularInline):
    model = BundleComponent
    extra = 1
    autocomplete_fields = ["procedure"]
    ordering = ["position"]


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_ja", "municipality", "active"]
    list_filter = ["municipality", "active"]
    search_fields = ["slug", "name_ja", "name_en"]
    inlines = [BundleComponentInline]

from django.contrib import admin
from django.http import HttpRequest

from . import models


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "title_ja", "unit"]
    search_fields = ["name", "title_ja"]


@admin.register(models.Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "title_ja"]


@admin.register(models.License)
class LicenseAdmin(admin.ModelAdmin):
    list_display = ["id", "title_ja", "position"]


class ResourceInline(admin.TabularInline):
    model = models.Resource
    fields = ["name", "format", "url", "position", "datastore_status", "download_count"]
    readonly_fields = ["datastore_status", "download_count"]
    extra = 0


@admin.register(models.Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "owner_org", "state", "private", "modified"]
    list_filter = ["state", "private", "owner_org"]
    search_fields = ["name", "title"]
    inlines = [ResourceInline]


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created", "last_used", "revoked"]
    fields = ["user", "name", "expires_at", "revoked"]
    readonly_fields = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tokens are issued by manage.py create_api_token, which shows the token once.
        return False

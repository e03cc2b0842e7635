from django.contrib import admin

from .models import AuditEvent, Country, DataLoad, Subdivision


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["iso3", "iso2", "name_es", "name_en", "name_fr", "is_rcm_member"]
    list_filter = ["is_rcm_member"]
    search_fields = ["iso3", "iso2", "name_es", "name_en", "name_fr"]


@admin.register(Subdivision)
class SubdivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "country", "name_es", "kind"]
    list_filter = ["country"]
    search_fields = ["code", "name_es", "name_en"]


@admin.register(DataLoad)
class DataLoadAdmin(admin.ModelAdmin):
    list_display = ["name", "rows", "loaded_at", "duration_seconds"]
    readonly_fields = [f.name for f in DataLoad._meta.fields]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only browser over the audit trail."""

    list_display = ["created_at", "type", "actor_label", "object_type", "object_id", "object_repr", "country", "ip_address"]
    list_filter = ["type", "country", "object_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["actor_label", "object_id", "object_repr", "request_id"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

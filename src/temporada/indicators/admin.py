"""Read-only admin views of the statistics and their provenance: data change only through imports."""

from django.contrib import admin

from .models import Area, Dataset, ImportBatch, Indicator, RejectedRow


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ["key", "publisher", "licence_name", "rows", "coverage_start", "coverage_end", "last_loaded_at"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["dataset", "file_name", "rows_read", "rows_loaded", "rows_rejected", "is_current", "finished_at"]
    list_filter = ["dataset", "is_current"]


@admin.register(RejectedRow)
class RejectedRowAdmin(ReadOnlyAdmin):
    list_display = ["batch", "line", "reason"]
    list_filter = ["batch__dataset"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_es", "name_en", "source", "last_updated"]


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["iso3", "name", "region"]
    search_fields = ["iso3", "name"]

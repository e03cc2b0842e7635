"""Admin views over imports and job orders: for inspection. Imports run through `temporada import` or the
upload page (one transaction, audited), never by editing rows here."""

from django.contrib import admin

from .models import Crop, Housing, ImportBatch, JobOrder, RejectedRow, Worksite


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "file_name", "layout", "period_label", "status", "rows_total", "rows_created",
                    "rows_updated", "rows_unchanged", "rows_rejected", "country", "created_at"]
    list_filter = ["kind", "status", "country", "is_partial_period"]
    search_fields = ["file_name", "file_sha256", "layout"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]


@admin.register(RejectedRow)
class RejectedRowAdmin(ReadOnlyAdmin):
    list_display = ["batch", "row_number", "severity", "source_key", "column", "reason"]
    list_filter = ["severity", "batch__kind"]
    search_fields = ["source_key", "reason", "column"]
    readonly_fields = [f.name for f in RejectedRow._meta.fields]
    list_select_related = ["batch"]


class _ChildInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class WorksiteInline(_ChildInline):
    model = Worksite


class HousingInline(_ChildInline):
    model = Housing


class CropInline(_ChildInline):
    model = Crop


@admin.register(JobOrder)
class JobOrderAdmin(ReadOnlyAdmin):
    list_display = ["source_key", "line", "programme", "fiscal_year", "employer_name", "worksite_subdivision",
                    "occupation_code", "isco_code", "positions_certified", "is_primary", "source_file", "source_row"]
    list_filter = ["source", "programme", "fiscal_year", "is_primary", "status_category", "is_synthetic"]
    search_fields = ["source_key", "employer_name", "trade_name", "job_title", "occupation_code"]
    readonly_fields = [f.name for f in JobOrder._meta.fields]
    list_select_related = ["worksite_subdivision"]
    inlines = [WorksiteInline, HousingInline, CropInline]
    show_full_result_count = False

"""Admin: runs and proposals are records of decisions, read-only here (writes go through the services)."""

from django.contrib import admin

from .models import MatchRun, Proposal


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "status", "origin_country", "job_order", "is_projection", "is_synthetic",
                    "proposal_count", "created_by", "created_at")
    list_filter = ("kind", "status", "is_synthetic", "origin_country")
    date_hierarchy = "created_at"


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("pseudonym", "run", "job_order", "rank", "score", "state", "begin_date", "end_date")
    list_filter = ("state", "is_projection")
    search_fields = ("pseudonym",)
    raw_id_fields = ("run", "worker", "job_order")

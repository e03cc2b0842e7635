"""Read-only admin over the classifications: they change only through the loader (the files are the source)."""

from django.contrib import admin

from .models import CrosswalkLink, EscoOccupation, IscoGroup, NocGroup, SocOccupation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IscoGroup)
class IscoGroupAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "title_es", "title_en", "title_fr"]
    list_filter = ["level"]
    search_fields = ["code", "title_es", "title_en", "title_fr"]


@admin.register(EscoOccupation)
class EscoOccupationAdmin(ReadOnlyAdmin):
    list_display = ["label_es", "label_en", "isco"]
    search_fields = ["label_es", "label_en", "label_fr", "isco__code"]


@admin.register(SocOccupation)
class SocOccupationAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "title_en"]
    list_filter = ["level"]
    search_fields = ["code", "title_en"]


@admin.register(NocGroup)
class NocGroupAdmin(ReadOnlyAdmin):
    list_display = ["version", "code", "level", "title_en", "teer"]
    list_filter = ["version", "level"]
    search_fields = ["code", "title_en"]


@admin.register(CrosswalkLink)
class CrosswalkLinkAdmin(ReadOnlyAdmin):
    list_display = ["source_system", "source_code", "target_system", "target_code", "method", "score", "provenance"]
    list_filter = ["source_system", "method"]
    search_fields = ["source_code", "target_code", "source_title", "detail"]

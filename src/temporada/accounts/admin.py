from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import CountryMembership, LoginAttempt, User


class MembershipInline(admin.TabularInline):
    model = CountryMembership
    extra = 0
    autocomplete_fields = ["country"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "is_active", "is_demo", "last_login"]
    list_filter = ["role", "is_active", "is_demo", "memberships__country"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Temporada", {"fields": ["role", "preferred_language", "is_content_reviewer", "is_demo"]}),
    ]
    inlines = [MembershipInline]


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ["created_at", "username_key", "ip_address", "successful"]
    list_filter = ["successful"]
    search_fields = ["username_key", "ip_address"]

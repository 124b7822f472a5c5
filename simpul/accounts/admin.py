from django.contrib import admin

from simpul.accounts.models import ApiToken, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "posyandu", "fields", "agency_name", "active")
    list_filter = ("role", "active")
    search_fields = ("user__username", "region__code", "posyandu__name")
    autocomplete_fields = ("user", "region", "posyandu")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")

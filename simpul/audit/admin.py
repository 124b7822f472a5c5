from django.contrib import admin

from simpul.audit.models import AccessLog, AuditEntry


class ReadOnly(admin.ModelAdmin):
    """The audit trail is append-only: nobody edits or deletes it from the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly):
    list_display = ("at", "actor", "action", "object_type", "object_id", "region_code")
    list_filter = ("action",)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnly):
    list_display = ("at", "actor", "action", "object_type", "object_id", "region_code")
    list_filter = ("action",)

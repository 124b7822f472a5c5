from django.contrib import admin

from simpul.notifications.models import Contact, OutboxMessage


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["user", "phone", "whatsapp", "sms", "updated_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: operators look here for messages a gateway refused; sending happens in the worker."""

    list_display = ["created_at", "channel", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "channel"]
    fields = ["channel", "status", "attempts", "last_error", "created_at", "next_attempt_at", "sent_at", "subject"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

"""Open311 clients in the Django admin: seen and switched off here, made with ``manage.py open311_key_create``
(the key is printed once and only its hash is stored, so the admin cannot show or make one)."""

from django.contrib import admin

from simpul.audit.services import audit_record
from simpul.open311.models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "key_prefix", "user", "posyandu", "active", "created_at", "last_used_at")
    list_filter = ("active",)
    search_fields = ("name", "key_prefix", "user__username")
    fields = ("name", "key_prefix", "user", "posyandu", "active", "created_at", "last_used_at")
    readonly_fields = ("key_prefix", "user", "posyandu", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="open311.api_client.change", obj=obj,
                     changes={name: form.cleaned_data.get(name) for name in form.changed_data})

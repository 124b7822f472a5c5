"""Django admin of the referrals' configuration.

The administrator keeps the holiday table here (each change is audited). Agencies, categories and routing
rules are shown for reference only: Tim Pembina edits them on the referral settings pages, whose services
check and audit every change.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from simpul.audit.services import audit_record
from simpul.referrals.models import Agency, Category, Holiday, RoutingRule


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "name", "kind", "source")
    list_filter = ("kind",)
    search_fields = ("name", "source")
    date_hierarchy = "date"
    ordering = ("date",)

    @admin.display(description=_("Day"))
    def weekday(self, obj):
        return obj.date.strftime("%a")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="holiday.change" if change else "holiday.add", obj=obj,
                     changes={name: form.cleaned_data.get(name) for name in form.changed_data})

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="holiday.delete", obj=obj,
                     changes={"date": obj.date, "name": obj.name})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ViewOnly(admin.ModelAdmin):
    """Shown, not edited: changes go through the settings pages (and their audit trail)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(ViewOnly):
    list_display = ("short_name", "name", "region", "area", "kind", "fields", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "short_name", "region__name")


@admin.register(Category)
class CategoryAdmin(ViewOnly):
    list_display = ("code", "field", "name", "subject", "confidential", "sla_working_days", "writes_back", "active")
    list_filter = ("field", "confidential", "active")
    search_fields = ("code", "name")


@admin.register(RoutingRule)
class RoutingRuleAdmin(ViewOnly):
    list_display = ("region", "field", "category", "area", "agency", "updated_at", "updated_by")
    list_filter = ("field",)
    search_fields = ("region__name", "agency__short_name", "category__code")
    list_select_related = ("region", "category", "area", "agency", "updated_by")

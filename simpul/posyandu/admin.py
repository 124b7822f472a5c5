from django.contrib import admin

from simpul.posyandu.models import BoardMember, Kader, Posyandu, PosyanduStatusChange


class BoardInline(admin.TabularInline):
    model = BoardMember
    extra = 0


class KaderInline(admin.TabularInline):
    model = Kader
    extra = 0


@admin.register(Posyandu)
class PosyanduAdmin(admin.ModelAdmin):
    """Reference data for setting up a kab/kota; day-to-day edits go through the posyandu pages."""

    list_display = ("name", "desa", "status", "registration_number")
    list_filter = ("status",)
    search_fields = ("name", "desa__name", "registration_number")
    autocomplete_fields = ("desa",)
    inlines = [BoardInline, KaderInline]


admin.site.register(PosyanduStatusChange)

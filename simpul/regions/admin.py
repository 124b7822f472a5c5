from django.contrib import admin

from simpul.regions.models import Region, Subdivision


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Subdivision)
class SubdivisionAdmin(admin.ModelAdmin):
    list_display = ("desa", "kind", "name", "parent")
    search_fields = ("desa__name", "name")
    autocomplete_fields = ("desa",)

"""SPM pages: the dashboard and its drill-down, the unserved list, Excel exports, Tim Pembina's settings."""

from django.urls import path

from simpul.spm import views, views_export, views_settings

app_name = "spm"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indikator/<str:code>/", views.indicator, name="indicator"),
    path("indikator/<str:code>/belum-terlayani/", views.unserved_list, name="unserved"),
    path("indikator/<str:code>/belum-terlayani.xlsx", views_export.export_unserved, name="export_unserved"),
    path("ekspor/capaian.xlsx", views_export.export_achievement, name="export_achievement"),
    path("ekspor/per-wilayah.xlsx", views_export.export_breakdown, name="export_breakdown"),
    path("ekspor/e-spm.xlsx", views_export.export_espm, name="export_espm"),
    path("atur/", views_settings.settings_targets, name="settings_targets"),
    path("atur/sasaran/", views_settings.settings_sasaran, name="settings_sasaran"),
    path("atur/data-luar/", views_settings.settings_external, name="settings_external"),
    path("atur/<str:kind>/<int:pk>/hapus/", views_settings.settings_clear, name="settings_clear"),
]

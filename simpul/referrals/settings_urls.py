"""The pembina's settings: agencies, categories (SLA, confidentiality, documents) and routing rules."""

from django.urls import path

from simpul.referrals import views_settings as views

urlpatterns = [
    path("pengaturan/", views.settings_index, name="settings"),
    path("pengaturan/instansi/", views.agency_list, name="settings_agencies"),
    path("pengaturan/instansi/baru/", views.agency_add, name="settings_agency_add"),
    path("pengaturan/instansi/<int:pk>/", views.agency_edit, name="settings_agency_edit"),
    path("pengaturan/instansi/<int:pk>/status/", views.agency_active, name="settings_agency_active"),
    path("pengaturan/kategori/", views.category_list, name="settings_categories"),
    path("pengaturan/kategori/<int:pk>/", views.category_edit, name="settings_category_edit"),
    path("pengaturan/aturan/", views.rule_list, name="settings_rules"),
    path("pengaturan/aturan/baru/", views.rule_add, name="settings_rule_add"),
    path("pengaturan/aturan/<int:pk>/", views.rule_edit, name="settings_rule_edit"),
    path("pengaturan/aturan/<int:pk>/hapus/", views.rule_delete, name="settings_rule_delete"),
]

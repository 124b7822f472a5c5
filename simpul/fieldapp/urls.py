from django.urls import path

from simpul.fieldapp import views

app_name = "fieldapp"
urlpatterns = [
    path("", views.shell, name="shell"),
    path("kunci/", views.device_key, name="device_key"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("keluar/", views.signed_out, name="signed_out"),
]

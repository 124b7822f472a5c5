from django.contrib import admin
from django.urls import include, path

from simpul.api.api import api
from simpul.core import views as core_views
from simpul.fieldapp import views as fieldapp_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("sw.js", fieldapp_views.service_worker, name="fieldapp_service_worker"),
    path("api/v1/", api.urls),
    path("akun/", include("simpul.accounts.urls")),
    path("posyandu/", include("simpul.posyandu.urls")),
    path("warga/", include("simpul.registry.urls")),
    path("wilayah/", include("simpul.regions.urls")),
    path("kesehatan/", include("simpul.health.urls")),
    path("imunisasi/", include("simpul.immunization.urls")),
    path("kia/", include("simpul.maternal.urls")),
    path("skrining/", include("simpul.screening.urls")),
    path("hari-buka/", include("simpul.serviceday.urls")),
    path("laporan/", include("simpul.reports.urls")),
    path("rujukan/", include("simpul.referrals.urls")),
    path("peringatan/", include("simpul.alerts.urls")),
    path("tugas/", include("simpul.tasks.urls")),
    path("spm/", include("simpul.spm.urls")),
    path("status/", include("simpul.referrals.public_urls")),
    path("notifikasi/", include("simpul.notifications.urls")),
    path("lapangan/", include("simpul.fieldapp.urls")),
    path("program/", include("simpul.programmes.urls")),
    path("kegiatan/", include("simpul.activities.urls")),
    path("latihan/", include("simpul.practice.urls")),
    path("open311/v2/", include("simpul.open311.urls")),
    path("admin/", admin.site.urls),
    path("", include("simpul.core.urls")),
]

handler400 = "simpul.core.errorviews.bad_request"
handler403 = "simpul.core.errorviews.permission_denied"
handler404 = "simpul.core.errorviews.page_not_found"
handler500 = "simpul.core.errorviews.server_error"

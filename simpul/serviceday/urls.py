from django.urls import path

from simpul.serviceday import views

app_name = "serviceday"
urlpatterns = [
    path("posyandu/<int:pk>/", views.posyandu_days, name="posyandu_days"),
    path("rujukan/", views.referrals_view, name="referrals"),
    path("rujukan/<int:pk>/tindak-lanjut/", views.follow_up_view, name="follow_up"),
    path("absen/<int:pk>/kunjungan/", views.absence_visit_view, name="absence_visit"),
    path("<int:pk>/", views.day_detail, name="day"),
    path("<int:pk>/buka/", views.day_open_view, name="open"),
    path("<int:pk>/batal/", views.day_cancel_view, name="cancel"),
    path("<int:pk>/daftar/", views.register_view, name="register"),
    path("<int:pk>/daftar/baru/", views.walk_in_view, name="walk_in"),
    path("<int:pk>/hadir/<int:person_pk>/", views.attend_view, name="attend"),
    path("<int:pk>/ukur/", views.measure_view, name="measure"),
    path("<int:pk>/ukur/<int:person_pk>/", views.measure_person_view, name="measure_person"),
    path("<int:pk>/catat/", views.record_view, name="record"),
    path("<int:pk>/layanan/", views.services_view, name="services"),
    path("<int:pk>/layanan/<int:person_pk>/", views.service_record_view, name="service_record"),
    path("<int:pk>/penyuluhan/", views.counselling_view, name="counselling"),
    path("<int:pk>/tutup/", views.day_close_view, name="close"),
    path("<int:pk>/hasil/", views.results_view, name="results"),
    path("<int:pk>/validasi/", views.validate_view, name="validate"),
]

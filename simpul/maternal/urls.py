from django.urls import path

from simpul.maternal import views

app_name = "maternal"
urlpatterns = [
    path("orang/<int:pk>/", views.person_kia, name="person_kia"),
    path("orang/<int:pk>/hamil-baru/", views.pregnancy_register_view, name="pregnancy_register"),
    path("kehamilan/<int:pk>/kunjungan/", views.anc_visit_record_view, name="anc_visit_record"),
    path("kehamilan/<int:pk>/selesai/", views.pregnancy_close_view, name="pregnancy_close"),
    path("kehamilan/<int:pk>/nifas/", views.nifas_visit_record_view, name="nifas_visit_record"),
    path("kunjungan/<int:pk>/koreksi/", views.anc_visit_correct_view, name="anc_visit_correct"),
    path("posyandu/<int:pk>/ibu-hamil/", views.pregnant_women_view, name="pregnant_women"),
]

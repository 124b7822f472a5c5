from django.urls import path

from simpul.registry import views, views_moves

app_name = "registry"
urlpatterns = [
    path("keluarga/", views.household_list, name="household_list"),
    path("keluarga/baru/", views.household_register_view, name="household_register"),
    path("keluarga/<int:pk>/", views.household_detail, name="household_detail"),
    path("keluarga/<int:pk>/anggota-baru/", views.member_add, name="member_add"),
    path("orang/<int:pk>/", views.person_detail, name="person_detail"),
    path("orang/<int:pk>/ubah/", views.person_edit, name="person_edit"),
    path("orang/<int:pk>/persetujuan/", views.consent_add, name="consent_add"),
    path("orang/<int:pk>/persetujuan/<int:consent_id>/cabut/", views.consent_withdraw_view, name="consent_withdraw"),
    path("orang/<int:pk>/pindah/", views_moves.person_move_view, name="person_move"),
    path("keluarga/<int:pk>/pindah/", views_moves.household_move_view, name="household_move"),
    path("duplikat/<int:pk>/", views.duplicate_decide_view, name="duplicate_decide"),
]

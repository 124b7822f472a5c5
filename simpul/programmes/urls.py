from django.urls import path

from simpul.programmes import views, views_activities, views_earners

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("baru/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/ubah/", views.programme_edit, name="edit"),
    path("<int:pk>/belum-terjangkau/", views.not_reached_list, name="not_reached"),
    path("<int:pk>/belum-terjangkau.xlsx", views.not_reached_export, name="not_reached_export"),
    path("<int:pk>/kegiatan/baru/", views_activities.activity_create, name="activity_create"),
    path("<int:pk>/kegiatan/<int:activity_id>/", views_activities.activity_detail, name="activity"),
    path("<int:pk>/tindak-lanjut/", views_activities.follow_up, name="follow_up"),
    path("keluarga/<int:pk>/penghasilan/", views_earners.household_earners, name="household_earners"),
]

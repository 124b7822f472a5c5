from django.urls import path

from simpul.activities import views, views_photos

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("baru/", views.activity_new, name="new"),
    path("rekap/", views.recap_view, name="recap"),
    path("galeri/", views_photos.gallery, name="gallery"),
    path("galeri/<str:code>/", views_photos.gallery, name="gallery_region"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/ubah/", views.activity_edit, name="edit"),
    path("<int:pk>/foto/", views_photos.photo_add, name="photo_add"),
    path("<int:pk>/kartu.png", views_photos.share_card, name="card"),
    path("foto/<int:pk>/", views_photos.photo_file, name="photo"),
    path("foto/<int:pk>/tanda/", views_photos.photo_tags, name="photo_tags"),
    path("foto/<int:pk>/hapus/", views_photos.photo_remove, name="photo_remove"),
]

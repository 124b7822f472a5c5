from django.urls import path

from simpul.practice import views

app_name = "practice"
urlpatterns = [
    path("", views.index, name="index"),
    path("mulai/", views.start, name="start"),
    path("selesai/", views.stop, name="stop"),
    path("ulang/<int:pk>/", views.reset, name="reset"),
]

"""The user's notifications."""

from django.urls import path

from simpul.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("baca-semua/", views.notifications_read_all_view, name="read_all"),
    path("<int:pk>/", views.notification_open, name="open"),
]

from django.urls import path

from simpul.alerts import views, views_settings

app_name = "alerts"
urlpatterns = [
    path("", views.priority_view, name="priority"),
    path("aturan/", views_settings.rules_view, name="rules"),
    path("<int:pk>/rujuk/", views.refer_view, name="refer"),
    path("<int:pk>/abaikan/", views.dismiss_view, name="dismiss"),
]

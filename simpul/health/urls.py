from django.urls import path

from simpul.health import views

app_name = "health"
urlpatterns = [
    path("orang/<int:pk>/pertumbuhan/", views.person_growth, name="person_growth"),
    path("orang/<int:pk>/ukur/", views.measurement_record_view, name="measurement_record"),
    path("ukuran/<int:pk>/koreksi/", views.measurement_correct_view, name="measurement_correct"),
    path("ukuran/<int:pk>/validasi/", views.measurement_validate_view, name="measurement_validate"),
]

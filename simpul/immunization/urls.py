from django.urls import path

from simpul.immunization import views

app_name = "immunization"
urlpatterns = [
    path("posyandu/<int:pk>/jadwal/", views.due_list_view, name="due_list"),
    path("orang/<int:pk>/", views.card_view, name="card"),
    path("dosis/<int:pk>/kipi/", views.kipi_view, name="kipi"),
]

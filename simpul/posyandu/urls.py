from django.urls import path

from simpul.posyandu import views

app_name = "posyandu"
urlpatterns = [
    path("", views.posyandu_list, name="list"),
    path("<int:pk>/", views.posyandu_detail, name="detail"),
    path("<int:pk>/legalitas/", views.posyandu_legal_edit, name="legal_edit"),
]

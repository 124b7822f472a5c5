from django.urls import path

from simpul.screening import views

app_name = "screening"
urlpatterns = [
    path("orang/<int:pk>/", views.person_history, name="person_history"),
    path("orang/<int:pk>/baru/", views.screening_record_view, name="screening_record"),
    path("<int:pk>/koreksi/", views.screening_correct_view, name="screening_correct"),
    path("posyandu/<int:pk>/", views.posyandu_list, name="posyandu_list"),
]

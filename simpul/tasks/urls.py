from django.urls import path

from simpul.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("rekap/", views.task_summary, name="summary"),
    path("<int:pk>/tutup/", views.task_dismiss_view, name="dismiss"),
]

from django.urls import path

from simpul.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_browse, name="browse"),
    path("<str:code>/", views.region_browse, name="browse_code"),
    path("<str:code>/subdivisi/", views.subdivision_add, name="subdivision_add"),
]

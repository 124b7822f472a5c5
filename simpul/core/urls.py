from django.urls import path

from simpul.core import pages

app_name = "core"
urlpatterns = [
    path("", pages.home, name="home"),
]

"""Open311 GeoReport v2 under /open311/v2/ (the format is the extension: .json or .xml)."""

from django.urls import re_path

from simpul.open311 import views

app_name = "open311"
urlpatterns = [
    re_path(r"^services\.(?P<fmt>\w+)$", views.services_list, name="services"),
    re_path(r"^services/(?P<service_code>[\w-]+)\.(?P<fmt>\w+)$", views.service_definition, name="service"),
    re_path(r"^requests\.(?P<fmt>\w+)$", views.requests_endpoint, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[\w-]+)\.(?P<fmt>\w+)$", views.request_detail, name="request"),
]

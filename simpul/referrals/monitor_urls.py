"""Supervision pages (included from simpul/referrals/urls.py in the "referrals" namespace)."""

from django.urls import path

from simpul.referrals import views_monitor

urlpatterns = [
    path("pantau/", views_monitor.monitor, name="monitor"),
    path("pantau/kepatuhan/", views_monitor.monitor_compliance, name="monitor_compliance"),
    path("pantau/kepatuhan.xlsx", views_monitor.monitor_compliance_xlsx, name="monitor_compliance_xlsx"),
]

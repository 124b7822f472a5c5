"""The public status page by ticket code (no login, no personal data)."""

from django.urls import path

from simpul.referrals import views_public

app_name = "public_status"
urlpatterns = [
    path("", views_public.status_lookup, name="lookup"),
    path("<str:ticket>/", views_public.status_ticket, name="ticket"),
]

"""The public status page by ticket code (no login, no personal data)."""

app_name = "public_status"
urlpatterns: list = []

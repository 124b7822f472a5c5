"""The user's notifications."""

app_name = "notifications"
urlpatterns: list = []

"""Routes filled in by the settings pages."""

urlpatterns: list = []

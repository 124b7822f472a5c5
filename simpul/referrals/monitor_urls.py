"""Routes filled in by the monitor pages."""

urlpatterns: list = []

"""Routes filled in by the receipt pages."""

urlpatterns: list = []

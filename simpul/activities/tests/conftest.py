import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored photos go to a fresh directory per test (and are read back from there)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path

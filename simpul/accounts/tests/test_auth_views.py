"""Login, logout, password change, throttling and session expiry."""

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD


@pytest.mark.django_db
class TestLogin:
    def test_it_logs_in_and_out(self, client, kader_miji):
        response = client.post(reverse("accounts:login"), {"username": "kader.miji", "password": PASSWORD})
        assert response.status_code == 302 and response.url == reverse("core:home")
        assert client.get(reverse("core:home")).status_code == 200
        client.post(reverse("accounts:logout"))
        assert client.get(reverse("core:home")).status_code == 302

    def test_wrong_password_shows_an_error_and_stays_out(self, client, kader_miji):
        response = client.post(reverse("accounts:login"), {"username": "kader.miji", "password": "salah"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_it_locks_after_repeated_failures_even_with_the_right_password(self, client, kader_miji):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("accounts:login"), {"username": "kader.miji", "password": "salah"})
        response = client.post(reverse("accounts:login"), {"username": "kader.miji", "password": PASSWORD})
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_sessions_expire(self):
        assert settings.SESSION_COOKIE_AGE <= 12 * 3600
        assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True

    def test_password_change_needs_the_old_password(self, client, kader_miji):
        client.force_login(kader_miji)
        url = reverse("accounts:password_change")
        bad = client.post(url, {"old_password": "salah", "new_password1": "Posyandu-Baru-2026",
                                "new_password2": "Posyandu-Baru-2026"})
        assert bad.status_code == 200
        good = client.post(url, {"old_password": PASSWORD, "new_password1": "Posyandu-Baru-2026",
                                 "new_password2": "Posyandu-Baru-2026"})
        assert good.status_code == 302
        kader_miji.refresh_from_db()
        assert kader_miji.check_password("Posyandu-Baru-2026")


@pytest.mark.django_db
class TestPagesNeedLogin:
    @pytest.mark.parametrize("name", ["core:home", "registry:household_list", "registry:household_register",
                                      "posyandu:list", "regions:browse"])
    def test_anonymous_users_are_sent_to_login(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_pages_are_in_bahasa_indonesia_whatever_the_browser_language(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert 'lang="id"' in html
    assert "Masuk ke Simpul" in html

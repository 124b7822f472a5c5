"""POST /api/v1/auth/token: tokens that expire and can be revoked; throttled like the login page."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from simpul.accounts.models import ApiToken


def ask(client, username, password):
    return client.post("/api/v1/auth/token", data=json.dumps({"username": username, "password": password}),
                       content_type="application/json")


@pytest.mark.django_db
class TestToken:
    def test_it_issues_a_token_that_works_and_stores_only_its_hash(self, client, kader_miji):
        response = ask(client, "kader.miji", PASSWORD)
        assert response.status_code == 200
        raw = response.json()["token"]
        assert not ApiToken.objects.filter(key_hash=raw).exists()
        assert client.get("/api/v1/households", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    def test_wrong_password_is_401_in_bahasa(self, client, kader_miji):
        response = ask(client, "kader.miji", "salah")
        assert response.status_code == 401
        assert response.json()["detail"] != "Wrong username or password."

    def test_it_throttles_repeated_failures(self, client, kader_miji):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            ask(client, "kader.miji", "salah")
        assert ask(client, "kader.miji", PASSWORD).status_code == 429

    def test_an_expired_token_is_refused(self, client, kader_miji):
        raw = ask(client, "kader.miji", PASSWORD).json()["token"]
        ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        assert client.get("/api/v1/households", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401

    def test_a_revoked_token_is_refused(self, client, kader_miji):
        raw = ask(client, "kader.miji", PASSWORD).json()["token"]
        header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        assert client.delete("/api/v1/auth/token", **header).status_code == 200
        assert client.get("/api/v1/households", **header).status_code == 401

    def test_a_made_up_token_is_refused(self, client, kader_miji):
        assert client.get("/api/v1/households", HTTP_AUTHORIZATION="Bearer bukan-token").status_code == 401

    def test_revoking_without_a_token_or_session_is_401_not_a_csrf_failure(self, kader_miji):
        # A phone that lost its token: "log in first", not "CSRF check failed" (the browser's CSRF check
        # applies to a session cookie, and there is none).
        strict = Client(enforce_csrf_checks=True)
        response = strict.delete("/api/v1/auth/token")
        assert response.status_code == 401 and response.json()["code"] == "unauthorized"

    def test_a_logged_in_page_still_needs_its_csrf_token(self, kader_miji):
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(kader_miji)
        assert strict.get("/api/v1/households").status_code == 200
        assert strict.delete("/api/v1/auth/token").status_code == 403

    def test_the_attempt_that_locks_the_account_is_answered_in_json_too(self, client, kader_miji):
        answers = [ask(client, "kader.miji", "salah") for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
        assert [a.status_code for a in answers[-2:]] == [429, 429]
        for answer in answers[-2:]:
            assert answer["Content-Type"].startswith("application/json")
            assert answer.json()["code"] == "locked"

    def test_a_failed_login_with_a_nul_in_a_header_is_refused_before_it_can_escape_the_count(self, client,
                                                                                            kader_miji):
        from axes.models import AccessAttempt

        answer = client.post("/api/v1/auth/token", data=json.dumps({"username": "kader.miji", "password": "salah"}),
                             content_type="application/json", HTTP_USER_AGENT="a\x00b")
        assert answer.status_code == 400
        for _ in range(settings.AXES_FAILURE_LIMIT):  # the failures with a plain header are all counted
            ask(client, "kader.miji", "salah")
        assert AccessAttempt.objects.get(username="kader.miji").failures_since_start == settings.AXES_FAILURE_LIMIT
        assert ask(client, "kader.miji", PASSWORD).status_code == 429

    def test_a_username_longer_than_any_account_is_a_field_error(self, client, kader_miji):
        answer = ask(client, "u" * 256, "salah")
        assert answer.status_code == 422 and list(answer.json()["errors"]) == ["username"]

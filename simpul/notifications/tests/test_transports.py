"""Transports against real endpoints: Django's locmem mail backend, a tiny SMTP server that refuses the
recipient, and a tiny HTTP gateway on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import os
import socket
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core import mail

from simpul.notifications.transports import (
    EmailTransport,
    SmsGatewayTransport,
    TransportError,
    WhatsAppGatewayTransport,
    transport_for,
)

BASE = Path(__file__).resolve().parents[3]


def send(transport, recipient="6281234567890", body="PRK-3576031002-202611-0007-K4QM: status diterima"):
    transport.send(recipient=recipient, subject="Rujukan", body=body, reference="simpul-outbox-7")


# --- Email ---------------------------------------------------------------------------------------


def test_email_goes_through_the_configured_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Simpul <noreply@simpul.example.go.id>"
    send(EmailTransport(), recipient="lurah.miji@example.go.id", body="Ada rujukan baru.")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["lurah.miji@example.go.id"]
    assert sent.subject == "Rujukan" and sent.body == "Ada rujukan baru."
    assert sent.from_email == "Simpul <noreply@simpul.example.go.id>"
    assert sent.extra_headers["X-Simpul-Reference"] == "simpul-outbox-7"


class _RefusingSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to reach RCPT TO, which it refuses (550), as a server does for an unknown mailbox."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        for raw in self.rfile:
            command = raw.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 test\r\n")
            elif command.startswith("RCPT"):
                self.wfile.write(b"550 5.1.1 no such mailbox\r\n")
            elif command.startswith("QUIT"):
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # MAIL FROM, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def refusing_smtp():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _RefusingSmtp)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def test_a_refused_mailbox_is_a_permanent_failure(settings, refusing_smtp):
    _smtp(settings, refusing_smtp)
    with pytest.raises(TransportError) as caught:
        send(EmailTransport(), recipient="nobody@example.go.id")
    assert caught.value.permanent


def test_a_mail_server_that_is_down_is_retried_later(settings):
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _smtp(settings, port)
    with pytest.raises(TransportError) as caught:
        send(EmailTransport(), recipient="lurah.miji@example.go.id")
    assert not caught.value.permanent


# --- Gateways ------------------------------------------------------------------------------------


def test_whatsapp_posts_json_with_the_bearer_token(gateway):
    send(WhatsAppGatewayTransport(url=gateway.url, token="rahasia-wa", timeout=2))
    [request] = gateway.received
    assert request["path"] == "/send"
    assert request["headers"]["Authorization"] == "Bearer rahasia-wa"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Idempotency-Key"] == "simpul-outbox-7"
    assert request["json"] == {"channel": "whatsapp", "to": "6281234567890", "reference": "simpul-outbox-7",
                               "message": "PRK-3576031002-202611-0007-K4QM: status diterima"}


def test_sms_names_its_channel(gateway):
    send(SmsGatewayTransport(url=gateway.url, token="rahasia-sms", timeout=2))
    assert gateway.received[0]["json"]["channel"] == "sms"
    assert gateway.received[0]["headers"]["Authorization"] == "Bearer rahasia-sms"


@pytest.mark.parametrize("status, permanent", [(500, False), (503, False), (429, False), (401, False),
                                               (400, True), (422, True)])
def test_a_refusal_is_permanent_only_for_a_bad_message(gateway, status, permanent):
    gateway.answers = [status]
    with pytest.raises(TransportError) as caught:
        send(WhatsAppGatewayTransport(url=gateway.url, token="rahasia-wa", timeout=2))
    assert caught.value.permanent is permanent
    assert str(caught.value) == f"gateway answered HTTP {status}"
    assert "rahasia-wa" not in str(caught.value)


def test_a_redirect_is_not_followed(gateway):
    """Following it could carry the token to another address; it counts as a (retried) failure."""
    gateway.answers = [307]
    with pytest.raises(TransportError) as caught:
        send(WhatsAppGatewayTransport(url=gateway.url, token="rahasia-wa", timeout=2))
    assert not caught.value.permanent
    assert len(gateway.received) == 1


def test_a_slow_gateway_times_out(gateway):
    gateway.delay = 1.5
    with pytest.raises(TransportError) as caught:
        send(WhatsAppGatewayTransport(url=gateway.url, token="rahasia-wa", timeout=0.3))
    assert not caught.value.permanent


def test_a_gateway_that_is_down_is_retried_later():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransportError) as caught:
        send(SmsGatewayTransport(url=f"http://127.0.0.1:{port}/sms", token="t", timeout=1))
    assert not caught.value.permanent


def test_a_gateway_url_must_be_http():
    with pytest.raises(ValueError):
        WhatsAppGatewayTransport(url="file:///etc/passwd", token="t")


# --- Settings ------------------------------------------------------------------------------------


def test_every_channel_is_off_by_default(settings):
    settings.SIMPUL_NOTIFY_CHANNELS = []
    assert [transport_for(c) for c in ("email", "whatsapp", "sms")] == [None, None, None]


def test_a_switched_on_channel_gets_its_transport_from_settings(settings):
    settings.SIMPUL_NOTIFY_CHANNELS = ["whatsapp"]
    settings.SIMPUL_WHATSAPP_GATEWAY_URL = "https://wa.example.go.id/send"
    settings.SIMPUL_WHATSAPP_GATEWAY_TOKEN = "abc"
    settings.SIMPUL_NOTIFY_TIMEOUT_SECONDS = 7
    transport = transport_for("whatsapp")
    assert isinstance(transport, WhatsAppGatewayTransport)
    assert (transport.url, transport.token, transport.timeout) == ("https://wa.example.go.id/send", "abc", 7)
    assert transport_for("sms") is None and transport_for("email") is None


def _check(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SIMPUL_", "DJANGO_", "DATABASE_URL"))}
    clean.update(SIMPUL_ENV="test", **env)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE, env=clean, capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_gateway_switched_on_without_its_url_and_token_stops_start_up():
    result = _check(SIMPUL_NOTIFY_CHANNELS="email,whatsapp")
    assert result.returncode != 0
    assert "SIMPUL_WHATSAPP_GATEWAY_URL" in result.stderr


def test_an_unknown_channel_stops_start_up():
    result = _check(SIMPUL_NOTIFY_CHANNELS="telegram")
    assert result.returncode != 0
    assert "SIMPUL_NOTIFY_CHANNELS" in result.stderr

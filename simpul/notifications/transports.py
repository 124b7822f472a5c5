"""Ways to send an outbox message outside the app: email, and WhatsApp or SMS through an HTTP gateway.

A transport sends one message or raises :class:`TransportError`; it never touches the database (the
dispatcher in :mod:`simpul.notifications.services` records the outcome and decides about retries).
Every channel but in-app is off until ``SIMPUL_NOTIFY_CHANNELS`` names it, and settings refuse to start
when a named gateway has no URL or token.

The gateway contract is deliberately plain, so any provider (a self-hosted WhatsApp gateway, a
commercial SMS API behind a small adapter) can sit behind it::

    POST <SIMPUL_WHATSAPP_GATEWAY_URL or SIMPUL_SMS_GATEWAY_URL>
    Authorization: Bearer <token>
    Content-Type: application/json
    Idempotency-Key: simpul-outbox-<id>
    {"channel": "whatsapp" | "sms", "to": "62812…", "message": "…", "reference": "simpul-outbox-<id>"}

Any 2xx answer is success. 400 and 422 mean the gateway refused this message (a bad number): not retried.
Anything else (other statuses, redirects, timeouts, refused connections) is retried with backoff. The
reference repeats on every attempt so a gateway can drop a duplicate.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage

# Statuses that say "this message will never be accepted"; everything else may pass on a later attempt.
PERMANENT_STATUSES = frozenset({400, 422})


class TransportError(Exception):
    """A send failed. ``permanent`` when retrying cannot help (the recipient was refused)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Transport:
    """Sends one message on one channel."""

    channel = ""

    def send(self, *, recipient: str, subject: str, body: str, reference: str) -> None:
        raise NotImplementedError


class EmailTransport(Transport):
    """Email through Django's configured backend (SMTP in production, ``EMAIL_*`` settings)."""

    channel = "email"

    def send(self, *, recipient: str, subject: str, body: str, reference: str) -> None:
        if _practising():
            raise TransportError("practice mode: never sent", permanent=True)
        message = EmailMessage(subject=subject, body=body, to=[recipient],
                               headers={"X-Simpul-Reference": reference})
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise TransportError("recipient refused by the mail server", permanent=True) from exc
        except ValueError as exc:  # a malformed address or header: sending again gives the same answer
            raise TransportError(f"invalid message: {exc}"[:200], permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}"[:200]) from exc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A gateway that redirects a POST is misconfigured; following it could send the token elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


class GatewayTransport(Transport):
    """POST the message as JSON to a gateway URL with a bearer token (see the module docstring)."""

    def __init__(self, *, url: str, token: str, timeout: float = 10):
        if not url.startswith(("https://", "http://")):
            raise ValueError("the gateway URL must be http or https")
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, *, recipient: str, subject: str, body: str, reference: str) -> None:
        if _practising():
            raise TransportError("practice mode: never sent", permanent=True)
        payload = {"channel": self.channel, "to": recipient, "message": body, "reference": reference}
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url, data=json.dumps(payload).encode("utf-8"), method="POST",
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                     "Accept": "application/json", "Idempotency-Key": reference, "User-Agent": "Simpul"})
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                response.read(4096)
        except urllib.error.HTTPError as exc:
            exc.close()
            # Never put the token or the message in the error: it is stored and shown to the operator.
            raise TransportError(f"gateway answered HTTP {exc.code}",
                                 permanent=exc.code in PERMANENT_STATUSES) from exc
        except urllib.error.URLError as exc:
            raise TransportError(f"gateway unreachable: {exc.reason}"[:200]) from exc
        except (TimeoutError, OSError) as exc:
            raise TransportError(f"gateway {type(exc).__name__}: {exc}"[:200]) from exc


class WhatsAppGatewayTransport(GatewayTransport):
    channel = "whatsapp"


class SmsGatewayTransport(GatewayTransport):
    channel = "sms"


class PracticeTransport(Transport):
    """Practice mode (simpul.practice) sends nothing outside the app: every message fails for good, quietly."""

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, *, recipient: str, subject: str, body: str, reference: str) -> None:
        raise TransportError("practice mode: never sent", permanent=True)


def _practising() -> bool:
    from simpul.practice.state import active

    return active()


def transport_for(channel: str) -> Transport | None:
    """The transport of an enabled channel, built from settings; None when the channel is switched off."""
    if channel not in getattr(settings, "SIMPUL_NOTIFY_CHANNELS", []):
        return None
    if _practising():
        return PracticeTransport(channel)
    timeout = getattr(settings, "SIMPUL_NOTIFY_TIMEOUT_SECONDS", 10)
    if channel == "email":
        return EmailTransport()
    if channel == "whatsapp":
        return WhatsAppGatewayTransport(url=settings.SIMPUL_WHATSAPP_GATEWAY_URL,
                                        token=settings.SIMPUL_WHATSAPP_GATEWAY_TOKEN, timeout=timeout)
    if channel == "sms":
        return SmsGatewayTransport(url=settings.SIMPUL_SMS_GATEWAY_URL, token=settings.SIMPUL_SMS_GATEWAY_TOKEN,
                                   timeout=timeout)
    return None

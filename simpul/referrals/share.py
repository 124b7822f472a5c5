"""What a citizen may be told about a referral, and the links they get: the public status page and a
``wa.me`` message. Pure: no database; the receipt, the detail page and the public page all use it.

Nothing here ever carries the description, a name, an address or a photo: the citizen's wording is
the ticket code, the category (hidden for confidential ones), the state in plain words and the dates.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simpul.notifications.phones import phone_normalise
from simpul.referrals.states import State

# The state in words for the public: where the need is, not the office's internal step.
PUBLIC_STATES = {
    State.RECORDED: _("Received, waiting for the village office to check it"),
    State.VERIFIED: _("Checked by the village office"),
    State.FORWARDED: _("Sent to the responsible agency"),
    State.ACCEPTED: _("Accepted by the responsible agency"),
    State.IN_PROGRESS: _("Being handled by the agency"),
    State.RESOLVED: _("Completed"),
    State.REJECTED: _("Closed without follow-up"),
    State.REDIRECTED: _("Passed on to another agency"),
    State.REOPENED: _("Reopened by the village office"),
}


def public_state_label(state: str) -> str:
    label = PUBLIC_STATES.get(state)
    return str(label) if label is not None else ""


def public_category_label(*, label: str, confidential: bool) -> str:
    """A confidential category (KDRT, narkoba, perdagangan orang) is never named to whoever holds the ticket."""
    return gettext("Confidential report") if confidential else str(label)


def public_status_url(ticket: str) -> str:
    """The absolute address of the public status page of a ticket (SIMPUL_BASE_URL + the route)."""
    base = getattr(settings, "SIMPUL_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('public_status:ticket', args=[ticket])}"


def share_text(*, ticket: str, state: str, status_url: str) -> str:
    return gettext("Referral %(ticket)s: %(state)s. Check its status at %(url)s") % {
        "ticket": ticket, "state": public_state_label(state), "url": status_url}


def wa_link(*, text: str, phone: str = "") -> str:
    """``https://wa.me/62…?text=…`` to one number, or ``https://wa.me/?text=…`` to let the sender pick a chat.
    A number that is not an Indonesian mobile number is left out rather than guessed."""
    return f"https://wa.me/{phone_normalise(phone)}?text={quote(text, safe='')}"


def referral_wa_link(referral, *, with_phone: bool = True) -> str:
    """The share link of a referral. ``with_phone=False`` when the viewer may not see the citizen's contact
    (see simpul.referrals.access.reporter_visible)."""
    text = share_text(ticket=referral.ticket, state=referral.state, status_url=public_status_url(referral.ticket))
    return wa_link(text=text, phone=referral.citizen_phone if with_phone else "")

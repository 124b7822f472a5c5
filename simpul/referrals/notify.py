"""Who hears about a referral's moves. Notifications never carry the description or a person's name."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from simpul.accounts.roles import Role
from simpul.notifications.services import notify
from simpul.referrals.models import Referral


def _users(condition: Q):
    return get_user_model().objects.filter(condition, is_active=True, memberships__active=True).distinct()


def village_users(desa_code: str, *, heads_only: bool = False):
    condition = Q(memberships__role=Role.DESA, memberships__region_id=desa_code)
    if heads_only:
        condition &= Q(memberships__is_head=True)
    return _users(condition)


def camat_users(desa_code: str):
    return _users(Q(memberships__role=Role.KECAMATAN, memberships__region_id=desa_code[:6], memberships__is_head=True))


def agency_users(agency_id: int):
    return _users(Q(memberships__role=Role.OPD, memberships__agency_id=agency_id))


def _link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def _subject(referral: Referral, text: str) -> str:
    return f"{referral.ticket}: {text}"


def _category(referral: Referral) -> str:
    # Messages may leave Simpul (email, WhatsApp gateway): a confidential category (KDRT…) is not named there.
    return _("Confidential report") if referral.confidential else referral.category.label


def notify_village_new(referral: Referral, now) -> None:
    notify(village_users(referral.desa_id), kind="referral.recorded", now=now, link=_link(referral),
           subject=_subject(referral, _("new need to verify (%(category)s)") % {"category": _category(referral)}))


def notify_move(referral: Referral, action: str, now) -> None:
    """After a move: the agency when it receives one; the reporter and the village when the agency acts."""
    label = referral.get_state_display()
    if action in ("forward", "redirect") and referral.agency_id:
        notify(agency_users(referral.agency_id), kind=f"referral.{action}", now=now, link=_link(referral),
               subject=_subject(referral, _("routed to your agency (%(category)s)") % {
                   "category": _category(referral)}))
    if action in ("accept", "start", "update", "resolve", "reject", "redirect"):
        recipients = [referral.reporter, *village_users(referral.desa_id)]
        notify(recipients, kind=f"referral.{action}", now=now, link=_link(referral),
               subject=_subject(referral, _("status: %(state)s") % {"state": label}))
    if action == "reopen" and referral.agency_id:
        notify(agency_users(referral.agency_id), kind="referral.reopen", now=now, link=_link(referral),
               subject=_subject(referral, _("reopened by the village")))

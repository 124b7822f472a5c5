"""The printable receipt (tanda terima) the kader or the village office gives the citizen: the ticket, the
category, the dates, the public status address with its QR code, and a WhatsApp share link."""

from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from simpul.accounts.context_processors import request_scope
from simpul.audit.services import access_record
from simpul.referrals import access
from simpul.referrals.selectors import referral_get
from simpul.referrals.share import (
    public_category_label,
    public_state_label,
    public_status_url,
    referral_wa_link,
)


def status_qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (medium error correction: survives a crease or a smudge)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=4, border=4, svgclass="qr", lineclass=None)


@login_required
@require_GET
def referral_receipt(request, pk: int):
    scope = request_scope(request)
    referral = referral_get(scope, pk)  # 404 for anyone who may not open the referral
    access_record(actor=request.user, action="view", object_type="referrals.receipt", object_id=referral.pk,
                  region_code=referral.desa_id, request=request)
    url = public_status_url(referral.ticket)
    return render(request, "referrals/receipt.html", {
        "ticket": referral.ticket,
        "category": public_category_label(label=referral.category.label, confidential=referral.confidential),
        "state_label": public_state_label(referral.state),
        "recorded_on": referral.recorded_on,
        "due_on": referral.due_on,
        "status_url": url,
        "qr_svg": mark_safe(status_qr_svg(url)),  # noqa: S308 - segno's own markup; the URL is escaped by it
        "wa_link": referral_wa_link(referral, with_phone=access.reporter_visible(scope, referral)),
        "referral_pk": referral.pk,
    })

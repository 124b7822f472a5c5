"""Referral pages (being written)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


referral_list = referral_record_view = referral_export = referral_detail = referral_move_view = _todo
confidential_approve_view = attachment_add_view = attachment_download = _todo

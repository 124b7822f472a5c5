"""The clients allowed to open referrals through Open311 (POST requests.json with an api_key)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """An application that records citizens' needs on behalf of one Simpul account.

    The key is shown once when it is made; only its first characters (to tell keys
    apart) and its SHA-256 are stored. The client acts as ``user``: that account's
    scope decides where it may record (a kader's posyandu, a desa's villages), and
    ``posyandu`` says whose area a place belongs to when the account covers several.
    """

    name = models.CharField(_("name"), max_length=120)
    key_prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posyandu = models.ForeignKey("posyandu.Posyandu", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

"""Activity log of a posyandu: what was done (posyandu day, programme activity, community action), for
which SPM fields, for how many people, with photos.

A photo is private by default. It may go into a gallery or onto a share card only when the kader asked
for it and every child (< 18) tagged in it has an active *publikasi* consent given by a parent or
guardian, and no untagged child is visible. That is decided at read time (``selectors.shareable_q``),
so withdrawing a consent takes the photo out of every gallery at once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    POSYANDU_DAY = "posyandu_day", _("Posyandu day")
    PROGRAMME_ACTIVITY = "programme_activity", _("Programme activity")
    COMMUNITY_ACTION = "community_action", _("Community action")


class ActivityLog(models.Model):
    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.PROTECT, related_name="activities")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    fields = models.JSONField(default=list)  # SpmField codes, at least one
    summary = models.CharField(max_length=500)  # what was done; shown on the public card, so no names
    # People served by group. Children are under 18, adults 18-59, elderly 60+; "disability" counts those
    # of them with a disability (a subset, not added to the total).
    served_children = models.PositiveIntegerField(default=0)
    served_adults = models.PositiveIntegerField(default=0)
    served_elderly = models.PositiveIntegerField(default=0)
    served_disability = models.PositiveIntegerField(default=0)
    service_day = models.ForeignKey(
        "serviceday.ServiceDay",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_logs",
    )
    programme_activity = models.ForeignKey(
        "programmes.ProgrammeActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_logs",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["desa", "held_on"]), models.Index(fields=["posyandu", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["posyandu_day", "programme_activity", "community_action"]),
                name="activitylog_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    served_disability__lte=models.F("served_children")
                    + models.F("served_adults")
                    + models.F("served_elderly")
                ),
                name="activitylog_disability_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posyandu_id} {self.held_on} {self.kind}"

    @property
    def people_served(self) -> int:
        return self.served_children + self.served_adults + self.served_elderly


class ActivityPhoto(models.Model):
    """A resized JPEG without metadata (and its thumbnail), stored through Django's default storage."""

    activity = models.ForeignKey(ActivityLog, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="activities/%Y/%m/", max_length=255)
    thumb = models.FileField(upload_to="activities/%Y/%m/", max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)  # of the stored (cleaned) file
    share_requested = models.BooleanField(default=False)  # the kader wants it in the gallery and on the card
    untagged_children = models.BooleanField(default=False)  # a child is visible who is not tagged
    people = models.ManyToManyField("registry.Person", through="PhotoTag", related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.activity_id} photo {self.pk}"


class PhotoTag(models.Model):
    """A registered person the kader marked as visible in a photo."""

    photo = models.ForeignKey(ActivityPhoto, on_delete=models.CASCADE, related_name="tags")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["photo", "person"], name="phototag_once")]

    def __str__(self) -> str:
        return f"{self.photo_id} {self.person_id}"

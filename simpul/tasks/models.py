"""A kader's task: one unserved person or household for one SPM indicator, until served or dismissed.

The text is never stored: ``reasons`` keeps the engine's ``Missing`` codes with their values, and the
sentence is made when shown (``simpul.spm.presenters.missing_text``), in the reader's language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.spm.engine import Missing


class Task(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        HOUSEHOLD = "household", _("Household")
        REPORT = "report", _("Report")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DISMISSED = "dismissed", _("Dismissed")

    class Closed(models.TextChoices):
        # Why a task closed by itself: the service was recorded, or the subject left the sasaran (moved,
        # died, aged out) — both are "done" for the kader, told apart for the supervisor.
        SERVED = "served", _("Served")
        LEFT = "left", _("No longer in the target group")
        YEAR_ENDED = "year_ended", _("The year ended")
        # Only what a kader cannot do is left (a dose missed for good): still unserved, but not her task.
        NOTHING_TO_DO = "no_action", _("Nothing left the kader can do")

    class Reason(models.TextChoices):
        MOVED = "moved", _("Moved away")
        DECEASED = "deceased", _("Deceased")
        REFUSED = "refused", _("Refused")
        NOT_FOUND = "not_found", _("Not found")
        OTHER = "other", _("Other")

    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.CASCADE, related_name="+")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(max_length=32)  # simpul.spm.catalogue code
    field = models.CharField(max_length=20)  # the indicator's SpmField, for scoping by the kader's fields
    subject_kind = models.CharField(max_length=10, choices=Kind.choices)
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    reasons = models.JSONField(default=list)  # [{"code", "detail", "due_on"}]: the engine's Missing list
    facts = models.JSONField(default=list)  # sorted fact keys, decides re-opening after a dismissal (0018)
    pending = models.BooleanField(default=False)  # not judgeable yet (household never surveyed)
    due_on = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_because = models.CharField(max_length=10, choices=Closed.choices, blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    dismiss_reason = models.CharField(max_length=10, choices=Reason.choices, blank=True)
    dismiss_note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["posyandu", "status", "due_on"]),
            models.Index(fields=["desa", "status"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            # One open task per indicator and subject: the listener may run twice at once for one posyandu.
            models.UniqueConstraint(fields=["indicator", "person"], condition=Q(status="open", person__isnull=False),
                                    name="tasks_one_open_per_person"),
            models.UniqueConstraint(fields=["indicator", "household"],
                                    condition=Q(status="open", household__isnull=False),
                                    name="tasks_one_open_per_household"),
            models.CheckConstraint(condition=Q(status__in=["open", "done", "dismissed"]), name="tasks_status_valid"),
            models.CheckConstraint(
                condition=(Q(subject_kind="person", person__isnull=False, household__isnull=True)
                           | Q(subject_kind="household", household__isnull=False, person__isnull=True)
                           | Q(subject_kind="report", person__isnull=True, household__isnull=True)),
                name="tasks_subject_matches_kind"),
            models.CheckConstraint(condition=Q(status="open", closed_at__isnull=True)
                                   | (~Q(status="open") & Q(closed_at__isnull=False)),
                                   name="tasks_closed_at_iff_closed"),
            models.CheckConstraint(condition=~Q(status="dismissed") | ~Q(dismiss_reason=""),
                                   name="tasks_dismissal_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.subject_kind}#{self.subject_id} {self.status}"

    @property
    def subject_id(self) -> int | None:
        return self.person_id if self.subject_kind == self.Kind.PERSON else self.household_id

    @property
    def missing(self) -> tuple[Missing, ...]:
        return tuple(Missing(r.get("code", ""), r.get("detail") or {}, r.get("due_on")) for r in self.reasons)


# Which status may follow which; services (and the listener) are the only code that changes it.
TRANSITIONS = {
    Task.Status.OPEN: {Task.Status.DONE, Task.Status.DISMISSED},
    Task.Status.DONE: set(),
    Task.Status.DISMISSED: set(),
}

"""What the real database knows about practice mode: which workspaces exist, and who is practising now.

The practice records themselves live in the workspace's own SQLite file (:mod:`simpul.practice.workspace`);
these two small tables stay in the real database so that the switch, the reset and the audit trail of both
are real actions of real users.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Workspace(models.Model):
    """The practice workspace of one posyandu. ``generation`` grows by one at every reset (a new file)."""

    posyandu = models.OneToOneField("posyandu.Posyandu", on_delete=models.CASCADE, related_name="+")
    generation = models.PositiveIntegerField(default=1)
    # The set of migrations the file was made with: a deployment with new migrations makes a new file.
    template_key = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"practice workspace of posyandu {self.posyandu_id} (generation {self.generation})"


class Practising(models.Model):
    """A user in practice mode, and since when. The session carries the switch; this row says it is
    still allowed (a revoked membership or a reset by the pengurus ends it)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="practising")
    since = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} practising in posyandu {self.workspace.posyandu_id}"

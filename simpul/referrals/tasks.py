"""Background work of the referrals. Tasks take ids, not objects (the row may change before they run)."""

from django_tasks import task


@task()
def escalate_stalled_referrals() -> int:
    """The daily escalation run (same as ``manage.py referrals_escalate``); returns escalations raised."""
    from simpul.referrals.services.escalation import escalate_stalled

    return len(escalate_stalled())

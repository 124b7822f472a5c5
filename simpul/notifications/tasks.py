"""Background work of notifications. Tasks take ids or numbers, not objects."""

from django_tasks import task


@task()
def outbox_send(limit: int = 100) -> int:
    """Send the outbox messages that are due (enqueued after each commit that queued one); returns sent."""
    from simpul.notifications.services import outbox_dispatch

    return outbox_dispatch(limit=limit).sent

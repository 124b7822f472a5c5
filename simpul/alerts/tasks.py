"""Background work of the early warning. Tasks take codes, not objects (the rows may change before they run)."""

from django_tasks import task


@task()
def kabkota_evaluate(region_code: str) -> int:
    """Every posyandu of a kab/kota evaluated again after a rule setting changed; returns posyandu evaluated."""
    from simpul.alerts.services import region_evaluate

    return region_evaluate(region_code).posyandu

"""Background work of the registry. Tasks take ids, not objects (the row may change before they run)."""

from django_tasks import task


@task()
def find_duplicates(person_ids: list[int]) -> int:
    """Look for possible double registrations of newly registered residents; returns proposals made."""
    from simpul.registry.models import Person
    from simpul.registry.services.duplicates import duplicates_find

    made = 0
    for person in Person.objects.filter(pk__in=person_ids):
        made += len(duplicates_find(person=person))
    return made

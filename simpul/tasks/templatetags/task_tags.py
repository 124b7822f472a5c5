"""``{% person_tasks tasks_by_person person_id %}``: one attendee's open tasks on the posyandu-day list."""

from django import template

register = template.Library()


@register.inclusion_tag("tasks/_person_tasks.html")
def person_tasks(by_person, person_id):
    return {"person_tasks": (by_person or {}).get(person_id, [])}

from django import template
from django.utils.translation import gettext as _

from simpul.core.choices import SpmField

register = template.Library()


@register.filter
def field_label(code: str) -> str:
    try:
        return str(SpmField(code).label)
    except ValueError:
        return code


@register.filter
def missing_label(code: str) -> str:
    labels = {
        "sk_establishment": _("Establishment decree (SK pembentukan)"),
        "sk_board": _("Board decree (SK pengurus)"),
        "board_ketua": _("Chair"),
        "board_sekretaris": _("Secretary"),
        "board_bendahara": _("Treasurer"),
        "registration_number": _("National registration number"),
    }
    if code.startswith("field_chair_"):
        return _("Field chair: %(field)s") % {"field": field_label(code.removeprefix("field_chair_"))}
    return str(labels.get(code, code))

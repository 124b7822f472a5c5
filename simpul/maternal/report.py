"""The "Ibu hamil dan nifas" section of the monthly posyandu report (registered in ``MaternalConfig.ready``).

Counts the posyandu's own records of the month by the place where they were recorded (a woman who moved
stays counted where she was seen that month). Women are counted once (distinct pregnancies); visits each.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext as _

from simpul.maternal.models import HYPERTENSION_Q, KEK_Q, AncVisit, NifasVisit, Pregnancy
from simpul.maternal.selectors import ongoing_on
from simpul.reports.sections import Row, Section

KEY = "maternal"


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def maternal_section(posyandu, month: dt.date) -> Section:
    first = month.replace(day=1)
    last = _month_end(first)
    in_month = {"visited_on__gte": first, "visited_on__lte": last}
    anc = AncVisit.objects.filter(posyandu=posyandu, superseded_by__isnull=True, **in_month)
    nifas = NifasVisit.objects.filter(posyandu=posyandu, **in_month)
    pregnancies = Pregnancy.objects.filter(posyandu=posyandu)

    def women(qs) -> int:
        return qs.order_by().values("pregnancy_id").distinct().count()

    rows = (
        ("pregnant", _("Pregnant women at the end of the month"), pregnancies.filter(ongoing_on(last)).count()),
        ("pregnant_new", _("New pregnancies recorded"),
         pregnancies.filter(registered_on__gte=first, registered_on__lte=last).count()),
        ("anc_women", _("Pregnant women examined"), women(anc)),
        ("anc_visits", _("Antenatal visits"), anc.count()),
        ("anc_kek", _("Pregnant women with KEK (LiLA below 23.5 cm)"), women(anc.filter(KEK_Q))),
        ("anc_hypertension", _("Pregnant women with high blood pressure (140/90 or more)"),
         women(anc.filter(HYPERTENSION_Q))),
        ("iron_tablets", _("Iron tablets (TTD) given"), anc.aggregate(total=Sum("iron_tablets"))["total"] or 0),
        ("nifas_women", _("Mothers visited after birth (nifas)"), women(nifas)),
        ("nifas_vitamin_a", _("Nifas mothers given vitamin A"), women(nifas.filter(vitamin_a=True))),
        ("deliveries", _("Deliveries recorded"),
         pregnancies.filter(delivered_on__gte=first, delivered_on__lte=last).count()),
    )
    return Section(
        key=KEY, title=_("Pregnant and post-partum mothers"), columns=(_("Count"),),
        rows=tuple(Row(key=key, label=str(label), values=(int(value),)) for key, label, value in rows),
    )

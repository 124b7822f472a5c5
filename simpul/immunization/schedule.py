"""The national routine immunisation schedule for children under two, as data.

Source: the routine schedule of Kemenkes' ILP documentation (mlengse/ilp-docs), summarised in
``shared/domain.md`` §3.7 [C][S35]:

    < 24 hours    HB0
    < 1 month     BCG, OPV1
    2 months      DPT-HB-Hib 1, OPV2, RV1, PCV1
    3 months      DPT-HB-Hib 2, OPV3, RV2, PCV2
    4 months      DPT-HB-Hib 3, OPV4, RV3, IPV1
    9 months      MR1, IPV2
    10 months     JE (endemic areas only)
    12 months     PCV3 (>= 8 weeks after PCV2)
    18-23 months  DPT-HB-Hib 4 (>= 12 months after dose 3), MR2 (>= 6 months after MR1)

    Minimum interval 1 month between doses of OPV, DPT-HB-Hib, RV and PCV.

What the source does **not** give, and is our working choice until a bidan or the Dinkes confirms it
(marked ``[U]`` below and in the docs):

- *Earliest age* (below which a dose is refused): WHO's minimum ages — 6 weeks for the first
  DPT-HB-Hib/OPV2/RV/PCV dose, 10 and 14 weeks for the next ones, 14 weeks for IPV1, 9 months for
  MR1/IPV2/JE, 9 months for PCV3, 12 months for DPT-HB-Hib 4 and 15 months for MR2 [U].
- *Overdue age* (from which a missing dose is overdue and the kader follows up, DOFU): one month
  after the recommended age, i.e. after one missed posyandu day; HB0 is overdue after 24 hours;
  the 18–23 month boosters are overdue from 24 months [U].
- *Latest age*: only HB0 has one here (the first 7 days of life, as in the Buku KIA); after it the
  dose is "missed", no longer offered [U]. Upper ages for rotavirus and catch-up limits are not set.
- IPV2 after IPV1: no interval in the source; we use 1 month like the other multi-dose antigens [U].

A change of regulation is an edit of :data:`DOSES`, not of the code that reads it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Span:
    """An age or interval in calendar months plus days (the Buku KIA counts children's age in months)."""

    months: int = 0
    days: int = 0

    def after(self, start: dt.date) -> dt.date:
        return _after(self.months, self.days, start)

    def label(self) -> str:
        if self.months and not self.days:
            return ngettext("%(n)d month", "%(n)d months", self.months) % {"n": self.months}
        if not self.months and self.days and self.days % 7 == 0:
            weeks = self.days // 7
            return ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks}
        if not self.months:
            return ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days}
        return f"{Span(months=self.months).label()} + {Span(days=self.days).label()}"


@functools.lru_cache(maxsize=65_536)
def _after(months: int, days: int, start: dt.date) -> dt.date:
    # Remembered: a due list or an SPM verdict asks the same few dozen spans of the same birth dates again and
    # again (a third of a verdict's time went here); the answer depends on nothing else.
    return add_months(start, months) + dt.timedelta(days=days)


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day (31 Jan + 1 = 29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def days(n: int) -> Span:
    return Span(days=n)


def weeks(n: int) -> Span:
    return Span(days=7 * n)


def months(n: int) -> Span:
    return Span(months=n)


@dataclass(frozen=True)
class Antigen:
    code: str
    label: object


ANTIGENS = {
    a.code: a
    for a in (
        Antigen("hb", _("Hepatitis B birth dose")),
        Antigen("bcg", _("BCG")),
        Antigen("opv", _("Oral polio (OPV)")),
        Antigen("dpt_hb_hib", _("DPT-HB-Hib")),
        Antigen("rv", _("Rotavirus (RV)")),
        Antigen("pcv", _("Pneumococcal (PCV)")),
        Antigen("ipv", _("Injectable polio (IPV)")),
        Antigen("mr", _("Measles-rubella (MR)")),
        Antigen("je", _("Japanese encephalitis (JE)")),
    )
}


@dataclass(frozen=True)
class Dose:
    code: str
    antigen: str
    number: int  # 1 for the first dose of the antigen (HB0 is the first dose of "hb")
    label: object
    recommended: Span  # the age at which it is due
    earliest: Span  # refused before this age
    overdue: Span  # not given by this age: overdue
    interval: Span | None = None  # minimum time since the previous dose of the same antigen
    latest: Span | None = None  # no longer given from this age ("missed")
    endemic_only: bool = False  # JE: only where the area is endemic


# [U] Rotavirus is not given after 24 months (WHO position paper on rotavirus vaccines, 2021): an older
# child who missed it shows as "missed", not as a visit the kader must make. Confirm with Dinkes.
RV_LATEST = months(24)

DOSES: tuple[Dose, ...] = (
    Dose("hb0", "hb", 1, _("HB0"), days(0), days(0), days(1), latest=days(7)),
    Dose("bcg", "bcg", 1, _("BCG"), days(0), days(0), months(1)),
    Dose("opv1", "opv", 1, _("OPV 1"), days(0), days(0), months(1)),
    Dose("dpt_hb_hib1", "dpt_hb_hib", 1, _("DPT-HB-Hib 1"), months(2), weeks(6), months(3)),
    Dose("opv2", "opv", 2, _("OPV 2"), months(2), weeks(6), months(3), interval=months(1)),
    Dose("rv1", "rv", 1, _("Rotavirus 1"), months(2), weeks(6), months(3), latest=RV_LATEST),
    Dose("pcv1", "pcv", 1, _("PCV 1"), months(2), weeks(6), months(3)),
    Dose("dpt_hb_hib2", "dpt_hb_hib", 2, _("DPT-HB-Hib 2"), months(3), weeks(10), months(4), interval=months(1)),
    Dose("opv3", "opv", 3, _("OPV 3"), months(3), weeks(10), months(4), interval=months(1)),
    Dose("rv2", "rv", 2, _("Rotavirus 2"), months(3), weeks(10), months(4), interval=months(1), latest=RV_LATEST),
    Dose("pcv2", "pcv", 2, _("PCV 2"), months(3), weeks(10), months(4), interval=months(1)),
    Dose("dpt_hb_hib3", "dpt_hb_hib", 3, _("DPT-HB-Hib 3"), months(4), weeks(14), months(5), interval=months(1)),
    Dose("opv4", "opv", 4, _("OPV 4"), months(4), weeks(14), months(5), interval=months(1)),
    Dose("rv3", "rv", 3, _("Rotavirus 3"), months(4), weeks(14), months(5), interval=months(1), latest=RV_LATEST),
    Dose("ipv1", "ipv", 1, _("IPV 1"), months(4), weeks(14), months(5)),
    Dose("mr1", "mr", 1, _("Measles-rubella 1 (MR1)"), months(9), months(9), months(10)),
    Dose("ipv2", "ipv", 2, _("IPV 2"), months(9), months(9), months(10), interval=months(1)),
    Dose("je1", "je", 1, _("Japanese encephalitis (JE)"), months(10), months(9), months(11), endemic_only=True),
    Dose("pcv3", "pcv", 3, _("PCV 3"), months(12), months(9), months(13), interval=weeks(8)),
    Dose("dpt_hb_hib4", "dpt_hb_hib", 4, _("DPT-HB-Hib 4"), months(18), months(12), months(24), interval=months(12)),
    Dose("mr2", "mr", 2, _("Measles-rubella 2 (MR2)"), months(18), months(15), months(24), interval=months(6)),
)

BY_CODE: dict[str, Dose] = {d.code: d for d in DOSES}
CODES: tuple[str, ...] = tuple(BY_CODE)
CHOICES: list[tuple[str, object]] = [(d.code, d.label) for d in DOSES]


def get(code: str) -> Dose | None:
    return BY_CODE.get(code)


def previous(dose: Dose) -> Dose | None:
    """The dose of the same antigen that must come first (None for a first dose)."""
    for other in DOSES:
        if other.antigen == dose.antigen and other.number == dose.number - 1:
            return other
    return None


def applicable(*, je_endemic: bool = False) -> tuple[Dose, ...]:
    """The doses that apply to a child: JE only in an endemic area."""
    return tuple(d for d in DOSES if je_endemic or not d.endemic_only)

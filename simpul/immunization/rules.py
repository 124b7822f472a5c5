"""Reading the schedule for one child on one date: pure functions, no database.

A dose that is not given is, on a date:

- ``due`` when the child has reached the recommended age, the previous dose of the antigen is given
  and the minimum interval since it has passed;
- ``overdue`` when the child is past the overdue age (whether or not it can be given today: a
  DPT-HB-Hib 2 whose dose 1 is missing is overdue too, but only dose 1 goes on the visit list);
- ``missed`` past the latest age at which it is still given (HB0 after 7 days);
- ``not_yet`` otherwise.

``can_give`` says whether it may be given on that date (earliest age, previous dose, interval); the
visit list shows the due and overdue doses that can be given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from simpul.immunization import schedule
from simpul.immunization.schedule import Dose


class State:
    GIVEN = "given"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_YET = "not_yet"
    MISSED = "missed"


@dataclass(frozen=True)
class DoseStatus:
    dose: Dose
    state: str
    due_on: dt.date  # the recommended age reached
    overdue_on: dt.date
    given_on: dt.date | None = None
    next_on: dt.date | None = None  # the first date it may be given (None: given, missed, or previous dose missing)
    can_give: bool = False

    @property
    def code(self) -> str:
        return self.dose.code

    @property
    def waiting_for(self) -> Dose | None:
        """The previous dose that must be given first, when it is missing."""
        return None if self.next_on or self.state in (State.GIVEN, State.MISSED) else schedule.previous(self.dose)


def earliest_date(dose: Dose, birth_date: dt.date, given: Mapping[str, dt.date]) -> dt.date | None:
    """The first date the dose may be given, or None while the previous dose is not recorded."""
    first = dose.earliest.after(birth_date)
    before = schedule.previous(dose)
    if before is None:
        return first
    previous_on = given.get(before.code)
    if previous_on is None:
        return None
    after_previous = dose.interval.after(previous_on) if dose.interval else previous_on + dt.timedelta(days=1)
    return max(first, after_previous)


def evaluate(birth_date: dt.date, given: Mapping[str, dt.date], on: dt.date, *,
             je_endemic: bool = False) -> list[DoseStatus]:
    """Each applicable dose's state on date ``on``, in schedule order."""
    result = []
    for dose in schedule.applicable(je_endemic=je_endemic):
        due_on, overdue_on = dose.recommended.after(birth_date), dose.overdue.after(birth_date)
        if dose.code in given:
            result.append(DoseStatus(dose, State.GIVEN, due_on, overdue_on, given_on=given[dose.code]))
            continue
        latest_on = dose.latest.after(birth_date) if dose.latest else None
        if latest_on is not None and on >= latest_on:
            result.append(DoseStatus(dose, State.MISSED, due_on, overdue_on))
            continue
        next_on = earliest_date(dose, birth_date, given)
        if next_on is not None and latest_on is not None and next_on >= latest_on:
            next_on = None
        can_give = next_on is not None and next_on <= on
        if on >= overdue_on:
            state = State.OVERDUE
        elif on >= due_on and can_give:
            state = State.DUE
        else:
            state = State.NOT_YET
        result.append(DoseStatus(dose, state, due_on, overdue_on, next_on=next_on, can_give=can_give))
    return result


def complete_for_age(statuses: list[DoseStatus]) -> bool:
    """Every dose the child should have had by now (past its overdue age) is given.

    A missed HB0 makes the record incomplete, as in the "imunisasi dasar lengkap" count.
    """
    return not any(s.state in (State.OVERDUE, State.MISSED) for s in statuses)

"""What the API takes in, bounded to what the services can compute with.

Python's dates run from year 1 to 9999, and the services do arithmetic on them: a child's due doses go back
five years from ``on``, an HPHT is weeks before the first visit, a report's month ends a month later. A year
1 or 9999 sent by a client then overflowed into a server error. A date outside 1800–2199 is no date anyone
enters at a posyandu; it is refused as a field error like any other typing slip. An id outside a database
integer is the same: no such row, said as a field error rather than an overflow.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from simpul.core.inputs import FIRST_DAY, LAST_DAY

ID_MAX = 2**63 - 1


def _plausible(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        # The message is in ``errors._pydantic_message`` (by this type), translated per request.
        raise PydanticCustomError("date_out_of_range", "date out of range")
    return value


def _wall_clock(value: dt.time) -> dt.time:
    # A time of day at the posyandu is its local wall-clock time; an offset sent with it ("08:00+07:00") says
    # nothing more, and the database keeps times without one.
    return value.replace(tzinfo=None)


Day = Annotated[dt.date, AfterValidator(_plausible)]
ClockTime = Annotated[dt.time, AfterValidator(_wall_clock)]
# Any integer a database key can hold: a value past it found no row, but overflowed the driver first.
Id = Annotated[int, Field(ge=-ID_MAX, le=ID_MAX)]
# A list position or length: far past any list here; beyond it the database's OFFSET overflowed.
OFFSET_MAX = 10**9
Offset = Annotated[int, Field(ge=-OFFSET_MAX, le=OFFSET_MAX)]


def resolved(view):
    """Under ``@paginate``: ninja reads the wrapper's parameter types in ninja's own module, where this
    project's names (``Id``, ``Day``) do not exist when a module postpones its annotations. The view's types,
    resolved in its own module, are handed over instead (place it between ``@paginate`` and ``def``)."""
    view.__annotations__ = typing.get_type_hints(view, include_extras=True)
    return view

"""Old outbox items are migrated to the current form, never lost.

A phone may sit for weeks with an outbox written by an older version of the field app. Each step
below turns version N data of one kind into version N+1; an item is walked up one step at a time to
``CURRENT``. A version newer than the server knows is refused (the server is upgraded first, and the
device keeps the item and retries).

History of the form:
  1  first field app: measurements sent ``weight``/``height``/``muac`` (kg/cm) and ``date``;
     persons sent ``name`` and ``gender`` (L/P as on the KTP).
  2  names of the REST API: ``weight_kg``, ``length_height_cm``, ``muac_cm``, ``measured_on``;
     ``full_name`` and ``sex`` (M/F).
"""

from __future__ import annotations

from collections.abc import Callable

CURRENT = 2
OLDEST = 1


def _rename(data: dict, renames: dict[str, str]) -> dict:
    out = dict(data)
    for old, new in renames.items():
        if old in out and new not in out:
            out[new] = out.pop(old)
    return out


def _person_1_to_2(data: dict) -> dict:
    out = _rename(data, {"name": "full_name", "gender": "sex"})
    sex = out.get("sex")
    if isinstance(sex, str):  # anything else is left for the person's own validation to refuse
        out["sex"] = {"L": "M", "P": "F"}.get(sex, sex)
    return out


def _household_1_to_2(data: dict) -> dict:
    out = dict(data)
    if isinstance(out.get("members"), list):
        out["members"] = [_person_1_to_2(m) if isinstance(m, dict) else m for m in out["members"]]
    return out


def _measurement_1_to_2(data: dict) -> dict:
    return _rename(data, {"weight": "weight_kg", "height": "length_height_cm", "muac": "muac_cm",
                          "date": "measured_on"})


STEPS: dict[int, dict[str, Callable[[dict], dict]]] = {
    1: {"person.create": _person_1_to_2, "household.create": _household_1_to_2,
        "measurement.create": _measurement_1_to_2},
}


class UnknownVersion(Exception):
    pass


def upgrade(kind: str, data: dict, version: int) -> dict:
    """``data`` of ``kind`` written at form ``version``, as the current form; UnknownVersion if unknown."""
    if version > CURRENT or version < OLDEST:
        raise UnknownVersion(version)
    for step in range(version, CURRENT):
        convert = STEPS.get(step, {}).get(kind)
        if convert is not None:
            data = convert(data)
    return data

"""The phone's due list is the server's: schedule.js (run with node) against immunization.rules.evaluate.

The kader sees the due and overdue doses of each child offline, computed on the phone from the schedule
in the shell (decision 0022); a difference would send her to a child for the wrong dose.
"""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from simpul.fieldapp.reference import reference_data
from simpul.immunization import rules

STATIC = Path(__file__).resolve().parents[1] / "static" / "fieldapp"
NODE = shutil.which("node")
ON = dt.date(2026, 3, 31)
# births around month ends and leap days, from a newborn to a child of three
BIRTHS = [
    ON - dt.timedelta(days=n)
    for n in (0, 3, 6, 20, 40, 45, 70, 75, 100, 130, 200, 280, 300, 370, 560, 700, 800, 1100)
] + [dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2025, 12, 31), dt.date(2025, 8, 31)]


def _given(birth: dt.date, pattern: int) -> dict[str, dt.date]:
    """A few histories: nothing; everything on time; late doses; a gap (dose 1 missing)."""
    statuses = rules.evaluate(birth, {}, ON)
    given: dict[str, dt.date] = {}
    if pattern == 0:
        return given
    for s in statuses:
        if s.dose.code == "dpt_hb_hib1" and pattern == 3:
            continue
        day = s.due_on + dt.timedelta(days={1: 0, 2: 40, 3: 3}[pattern])
        if day <= ON:
            given[s.dose.code] = day
    if pattern == 2:
        given["hb0"] = birth  # on the day of birth
    return given


def _cases() -> list[dict]:
    return [
        {"birth": b.isoformat(), "given": {k: v.isoformat() for k, v in _given(b, p).items()}, "on": on}
        for b in BIRTHS
        for p in range(4)
        for on in (ON.isoformat(), (ON + dt.timedelta(days=33)).isoformat())
    ]


def _server(case: dict) -> list[dict]:
    given = {k: dt.date.fromisoformat(v) for k, v in case["given"].items()}
    on = dt.date.fromisoformat(case["on"])
    given = {k: v for k, v in given.items() if v <= on}
    return [
        {
            "code": s.code,
            "state": s.state,
            "can_give": s.can_give,
            "next_on": s.next_on.isoformat() if s.next_on else None,
        }
        for s in rules.evaluate(dt.date.fromisoformat(case["birth"]), given, on)
    ]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.django_db
def test_the_phone_reads_the_schedule_like_the_server():
    cases = _cases()
    script = f"""
import {{ evaluate }} from {json.dumps(str(STATIC / "schedule.js"))};
const doses = {json.dumps(reference_data()["doses"])};
const cases = {json.dumps(cases)};
console.log(JSON.stringify(cases.map((c) => evaluate(doses, c.birth, c.given, c.on)
  .map((s) => ({{ code: s.code, state: s.state, can_give: s.can_give, next_on: s.next_on ?? null }})))));
"""
    out = subprocess.run(
        [NODE, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    phone = json.loads(out.stdout)
    assert len(phone) == len(cases) > 150
    states = set()
    for case, got in zip(cases, phone, strict=True):
        assert got == _server(case), case
        states |= {s["state"] for s in got}
    assert states == {"given", "due", "overdue", "not_yet", "missed"}  # every branch was exercised

"""The phone grades a weighing exactly as the server does: growth.js (run with node) against growth_assess.

The server recomputes every measurement after sync; a difference between the two would show a kader one
category at the posyandu table and another in the report, so it is tested here on a spread of ages,
both sexes, both positions, the ±3 SD restriction and lengths outside the tables.
"""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from simpul.fieldapp.growth_tables import OUTPUT, growth_tables_json
from simpul.health.growth.assessment import growth_assess

STATIC = Path(__file__).resolve().parents[1] / "static" / "fieldapp"
NODE = shutil.which("node")
NOW = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
BIRTH = dt.date(2021, 1, 1)


def _cases() -> list[dict]:
    cases = []
    # ages from birth to the last day of the 2006 standards, with weights and lengths from thin to heavy
    for i, age in enumerate((0, 1, 14, 45, 100, 200, 364, 365, 500, 700, 730, 731, 900, 1200, 1500, 1800, 1856)):
        for sex in ("M", "F"):
            for j, (factor, position) in enumerate(((0.55, "recumbent"), (0.85, "standing"), (1.0, None),
                                                    (1.3, "recumbent"), (1.9, "standing"))):
                # a rough median: 3.3 kg at birth to 18 kg at five; 50 cm to 110 cm
                weight = round((3.3 + age * 0.0079) * factor, 1)
                length = round((50 + age * 0.033) * (0.9 + 0.05 * j), 1)
                cases.append({"sex": sex, "measured_on": (BIRTH + dt.timedelta(days=age)).isoformat(),
                              "weight_kg": weight, "length_height_cm": length, "position": position,
                              "oedema": i % 7 == 3 and j == 2})
    # only a weight; only a length; lengths just outside weight-for-length (45 cm) and -height (120 cm)
    cases += [
        {"sex": "F", "measured_on": "2021-06-01", "weight_kg": 6.1, "length_height_cm": None, "position": None},
        {"sex": "M", "measured_on": "2021-06-01", "weight_kg": None, "length_height_cm": 64.0, "position": None},
        {"sex": "M", "measured_on": "2021-01-02", "weight_kg": 1.9, "length_height_cm": 44.9, "position": None},
        {"sex": "F", "measured_on": "2024-01-01", "weight_kg": 30.0, "length_height_cm": 120.1, "position": None},
        {"sex": "F", "measured_on": "2022-12-31", "weight_kg": 9.0, "length_height_cm": 110.0, "position": None},
    ]
    return cases


def _server(case: dict) -> dict:
    a = growth_assess(sex=case["sex"], birth_date=BIRTH, measured_on=dt.date.fromisoformat(case["measured_on"]),
                      weight_kg=case["weight_kg"], length_height_cm=case["length_height_cm"],
                      position=case["position"], oedema=case.get("oedema", False), now=NOW)
    keys = ("wfa", "lhfa", "wflh")
    return {"age_days": a.age_days, "z": {k: a.z[k] for k in keys},
            "classification": {k: a.classification[k] for k in keys},
            "flags": [f for f in a.flags if f.rsplit("_", 1)[1] in keys]}


def _phone(cases: list[dict]) -> list[dict]:
    script = f"""
import {{ readFileSync }} from "node:fs";
import {{ assess }} from "{(STATIC / 'growth.js').as_uri()}";
const tables = JSON.parse(readFileSync({json.dumps(str(STATIC / 'who-lms.json'))}, "utf8"));
const cases = JSON.parse(readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map((c) => assess(tables, {{ sex: c.sex, birthDate: "{BIRTH.isoformat()}",
  measuredOn: c.measured_on, weightKg: c.weight_kg, lengthCm: c.length_height_cm, position: c.position,
  oedema: c.oedema }}))));
"""
    done = subprocess.run([NODE, "--input-type=module", "-e", script], input=json.dumps(cases), capture_output=True,
                          text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def test_the_shipped_tables_are_the_servers_tables():
    assert OUTPUT.read_text(encoding="ascii") == growth_tables_json(), "run manage.py fieldapp_growth_tables"


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_phone_and_the_server_give_the_same_z_and_category():
    cases = _cases()
    phone = _phone(cases)
    assert len(phone) == len(cases) > 170
    for case, mine in zip(cases, phone, strict=True):
        assert mine == _server(case), case
    # the set reaches every band that decides a child's fate, and the restriction beyond ±3 SD
    seen = {(k, c) for row in phone for k, c in row["classification"].items() if c}
    assert {("wfa", "severely_underweight"), ("lhfa", "severely_stunted"), ("wflh", "severely_wasted"),
            ("wflh", "obese"), ("wfa", "normal")} <= seen


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_a_newborn_boy_of_2_5_kg_by_hand():
    # WHO wfa boys, day 0: L 0.3487, M 3.3464, S 0.14602.
    # 2.5 / 3.3464 = 0.747072; ln = -0.291596; × L = -0.101680; e^… − 1 = -0.096681;
    # ÷ (L·S = 0.050917) = -1.8988 → -1.90: within -2 … +1, "normal" (not underweight).
    # Length 50.0 cm, lhfa day 0: M 49.8842, S 0.03795 (L 1): (50/49.8842 − 1)/0.03795 = 0.0612 → 0.06.
    [row] = _phone([{"sex": "M", "measured_on": BIRTH.isoformat(), "weight_kg": 2.5, "length_height_cm": 50.0,
                     "position": "recumbent"}])
    assert row["age_days"] == 0
    assert row["z"]["wfa"] == -1.90 and row["classification"]["wfa"] == "normal"
    assert row["z"]["lhfa"] == 0.06 and row["classification"]["lhfa"] == "normal"

"""The WHO tables the field app needs to grade a weighing offline, as one static JSON file.

The phone computes weight-for-age, length/height-for-age and weight-for-length/height for children of
0–1856 days (the posyandu's under-fives) from the *same* numbers the server uses: this module reads
them from ``simpul.health.growth.tables`` and writes them out unchanged (``repr`` of each float64, so
JavaScript parses the identical double). BMI, head and arm circumference and the 2007 reference
(5–19 years) are left to the server, which recomputes every measurement after sync anyway.

Regenerate with ``manage.py fieldapp_growth_tables`` after the tables change; a test fails while the
shipped file is stale.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from simpul.health.growth.tables import DAY_TABLE_SIZE, WFLH_SIZE, table, wflh_table

OUTPUT = Path(__file__).parent / "static" / "fieldapp" / "who-lms.json"
DAY_INDICES = {"wfa": "who2006_wfa", "lhfa": "who2006_lhfa"}


def _column(values, starts: list[int], size: int) -> list[float | None]:
    out: list[float | None] = []
    for start in starts:
        out.extend(None if math.isnan(v) else float(v) for v in values[start:start + size])
    return out


def growth_tables() -> dict:
    """{index: {x0, step, size, groups, L, M, S}}: ``groups`` grids of ``size`` rows laid end to end
    (boys then girls; for wflh boys lying, boys standing, girls lying, girls standing), null where WHO
    has no row."""
    out: dict = {}
    for index, name in DAY_INDICES.items():
        t = table(name)
        starts = [0, t.stride]
        out[index] = {"x0": 0, "step": 1, "size": DAY_TABLE_SIZE, "groups": 2,
                      **{c: _column(getattr(t, c), starts, DAY_TABLE_SIZE) for c in ("L", "M", "S")}}
    t = wflh_table()
    starts = [g * t.stride for g in range(4)]
    out["wflh"] = {"x0": t.x0, "step": t.step, "size": WFLH_SIZE, "groups": 4,
                   **{c: _column(getattr(t, c), starts, WFLH_SIZE) for c in ("L", "M", "S")}}
    return out


def growth_tables_json() -> str:
    return json.dumps(growth_tables(), separators=(",", ":"), allow_nan=False) + "\n"

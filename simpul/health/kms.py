"""The KMS growth chart of a child under five, drawn as SVG on the server (no JavaScript, no plotting library).

Two charts, by sex, months 0–60 (WHO Child Growth Standards 2006, the tables the growth engine ships):

* ``wfa``  — weight-for-age (BB/U), kg;
* ``lhfa`` — length/height-for-age (PB/U, TB/U), cm: recumbent length up to 24 months, standing height
  from 24 months, as on WHO's charts, so the curves step down by about 0.7 cm at 24 months.

The −3, −2, 0, +2 and +3 SD curves are computed from L, M and S at each whole month (the day
``round(month × 30.4375)``; at 24 months the length curve ends on day 730 and the height curve begins
on day 731): ``value = M·(1 + L·S·z)^(1/L)``. Bands are coloured as in the Buku KIA: green between −2
and +2 SD, yellow/orange between −3 and −2, red below −3, pale above +2.

The child's current (not superseded) measurements are plotted at their age in months (days / 30.4375).
A length/height is plotted after WHO's position conversion (standing under 24 months +0.7 cm, lying
from 24 months −0.7 cm), so a dot sits where its z-score says; the table next to the chart keeps the
value as measured.

Each curve is a ``<polyline>`` with ``data-sd``, each point a ``<circle>`` with ``data-age-months`` and
``data-value``; the root carries the plot box and value range, so a test can read values back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from simpul.health.growth.classify import LengthForAge, WeightForAge
from simpul.health.growth.lms import value_at
from simpul.health.growth.tables import SEX_INDEX, table
from simpul.health.growth.zscores import DAYS_PER_MONTH, POSITION_CORRECTION_CM, STANDING_FROM_DAYS

INDICES = ("wfa", "lhfa")
SDS = (-3, -2, 0, 2, 3)
MONTHS = 60
LAST_DAY = round(MONTHS * DAYS_PER_MONTH)  # 1826: the last day plotted
LENGTH_UNTIL_MONTH = 24

TABLE_NAMES = {"wfa": "who2006_wfa", "lhfa": "who2006_lhfa"}
UNITS = {"wfa": "kg", "lhfa": "cm"}
Y_STEP = {"wfa": 1, "lhfa": 5}
Y_LABEL_EVERY = {"wfa": 2, "lhfa": 10}

# Drawing box (SVG user units)
WIDTH, HEIGHT = 720, 480
LEFT, RIGHT, TOP, BOTTOM = 56, 690, 44, 420

COLOURS = {
    "red": "#f4b6b0",  # below −3
    "orange": "#fbd89a",  # −3 to −2
    "green": "#bfe5c2",  # −2 to +2
    "pale": "#fbf3cf",  # above +2
}
LINE_COLOURS = {-3: "#b3261e", -2: "#d46b08", 0: "#1e7b34", 2: "#d46b08", 3: "#b3261e"}


def day_of_month(month: int) -> int:
    """The day WHO's monthly tables stand for: month × 30.4375, rounded half up."""
    return int(month * DAYS_PER_MONTH + 0.5)


def _value(index: str, sex: str, day: int, sd: float) -> float:
    L, M, S = table(TABLE_NAMES[index]).row(SEX_INDEX[sex], day)
    return float(value_at(sd, L, M, S))


def curve_segments(index: str, sex: str, sd: float) -> list[list[tuple[float, float]]]:
    """The ``sd`` curve as segments of (age in months, value); lhfa has two (length, then height)."""
    if index == "wfa":
        return [[(m, _value(index, sex, day_of_month(m), sd)) for m in range(MONTHS + 1)]]
    if index != "lhfa":
        raise ValueError(f"no KMS chart for {index}")
    length = [(m, _value(index, sex, min(day_of_month(m), STANDING_FROM_DAYS - 1), sd))
              for m in range(LENGTH_UNTIL_MONTH + 1)]
    height = [(m, _value(index, sex, max(day_of_month(m), STANDING_FROM_DAYS), sd))
              for m in range(LENGTH_UNTIL_MONTH, MONTHS + 1)]
    return [length, height]


def curve_value(index: str, sex: str, sd: float, month: int, *, standing: bool | None = None) -> float:
    """One point of a curve; at 24 months of lhfa, ``standing`` picks the height (True) or length curve."""
    segments = curve_segments(index, sex, sd)
    if index == "lhfa" and month == LENGTH_UNTIL_MONTH:
        return segments[1 if standing else 0][-1 if not standing else 0][1]
    for segment in segments:
        for m, value in segment:
            if m == month:
                return value
    raise ValueError(f"month {month} is not on the chart")


@dataclass(frozen=True)
class Point:
    measured_on: dt.date
    age_months: float
    value: float  # as plotted (lhfa: after the position conversion)
    z: float | None
    classification: str  # the stored Permenkes code, "" if none


def points(index: str, measurements: Iterable) -> list[Point]:
    """The child's plotted points: current measurements with the value, aged 0–60 months, by date."""
    result = []
    for m in measurements:
        if getattr(m, "superseded_by_id", None) is not None or m.age_days > LAST_DAY:
            continue
        if index == "wfa":
            if m.weight_kg is None:
                continue
            value = float(m.weight_kg)
        else:
            if m.length_height_cm is None:
                continue
            value = float(m.length_height_cm)
            if m.age_days < STANDING_FROM_DAYS and m.position == "standing":
                value += POSITION_CORRECTION_CM
            elif m.age_days >= STANDING_FROM_DAYS and m.position == "recumbent":
                value -= POSITION_CORRECTION_CM
        result.append(Point(m.measured_on, m.age_days / DAYS_PER_MONTH, round(value, 3),
                            getattr(m, f"z_{index}"), getattr(m, f"class_{index}") or ""))
    return sorted(result, key=lambda p: (p.measured_on, p.age_months))


def _number(value: float, places: int = 1) -> str:
    return f"{value:.{places}f}"


def titles(index: str, sex: str) -> str:
    names = {
        ("wfa", "M"): _("Weight-for-age (BB/U), boys 0–5 years"),
        ("wfa", "F"): _("Weight-for-age (BB/U), girls 0–5 years"),
        ("lhfa", "M"): _("Length/height-for-age (PB/U, TB/U), boys 0–5 years"),
        ("lhfa", "F"): _("Length/height-for-age (PB/U, TB/U), girls 0–5 years"),
    }
    return str(names[(index, sex)])


def summary(index: str, chart_points: list[Point]) -> str:
    """One sentence for screen readers and the ``alt`` text: the latest value and its class."""
    if not chart_points:
        return str(_("No measurements plotted yet."))
    last = chart_points[-1]
    choices = WeightForAge if index == "wfa" else LengthForAge
    status = str(choices(last.classification).label) if last.classification in choices.values else "—"
    return str(_("Latest: %(value)s %(unit)s on %(date)s at %(age)s months, %(status)s.") % {
        "value": _number(last.value), "unit": UNITS[index], "date": date_format(last.measured_on, "j M Y"),
        "age": _number(last.age_months), "status": status})


@dataclass(frozen=True)
class Scale:
    y_min: float
    y_max: float

    def x(self, months: float) -> float:
        return LEFT + (RIGHT - LEFT) * months / MONTHS

    def y(self, value: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * (value - self.y_min) / (self.y_max - self.y_min)

    def value_at_y(self, y: float) -> float:
        return self.y_min + (BOTTOM - y) * (self.y_max - self.y_min) / (BOTTOM - TOP)

    def months_at_x(self, x: float) -> float:
        return (x - LEFT) * MONTHS / (RIGHT - LEFT)


def _scale(index: str, curves: dict[int, list[list[tuple[float, float]]]], chart_points: list[Point]) -> Scale:
    step = Y_LABEL_EVERY[index]
    low = min(v for seg in curves[-3] for _m, v in seg)
    high = max(v for seg in curves[3] for _m, v in seg)
    for p in chart_points:
        low, high = min(low, p.value), max(high, p.value)
    y_min = max(0, int(low // step) * step)
    y_max = int(-(-high // step)) * step
    return Scale(float(y_min), float(y_max))


def _path(points_: list[tuple[float, float]], scale: Scale) -> str:
    return " ".join(f"{scale.x(m):.2f},{scale.y(v):.2f}" for m, v in points_)


def _band(lower: list[tuple[float, float]] | None, upper: list[tuple[float, float]] | None, scale: Scale,
          colour: str, name: str) -> str:
    """A filled polygon between two curves of one segment (None: the plot's bottom or top edge)."""
    months = [m for m, _v in (lower or upper)]
    bottom = lower or [(m, scale.y_min) for m in months]
    top = upper or [(m, scale.y_max) for m in months]
    outline = [*bottom, *reversed(top)]
    return f'<polygon class="band band-{name}" fill="{colour}" stroke="none" points="{_path(outline, scale)}"/>'


def _sd_label(sd: int) -> str:
    return "0" if sd == 0 else f"{sd:+d}".replace("-", "\u2212")


def render_svg(index: str, sex: str, measurements: Iterable, *, element_id: str = "") -> str:
    """The chart as a standalone SVG document (also valid inline in HTML)."""
    if index not in INDICES or sex not in SEX_INDEX:
        raise ValueError(f"no KMS chart for {index}/{sex}")
    chart_points = points(index, measurements)
    curves = {sd: curve_segments(index, sex, sd) for sd in SDS}
    scale = _scale(index, curves, chart_points)
    title = titles(index, sex)
    label = summary(index, chart_points)
    uid = escape(element_id or f"kms-{index}")
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="{escape(f"{title}. {label}")}" '
        f'data-index="{index}" data-sex="{sex}" data-y-min="{scale.y_min:g}" data-y-max="{scale.y_max:g}" '
        f'data-plot="{LEFT} {TOP} {RIGHT} {BOTTOM}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(label)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{WIDTH / 2:g}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    # Coloured bands, one set per curve segment.
    for i in range(len(curves[0])):
        seg = {sd: curves[sd][i] for sd in SDS}
        out.append(_band(None, seg[-3], scale, COLOURS["red"], "red"))
        out.append(_band(seg[-3], seg[-2], scale, COLOURS["orange"], "orange"))
        out.append(_band(seg[-2], seg[2], scale, COLOURS["green"], "green"))
        out.append(_band(seg[2], None, scale, COLOURS["pale"], "pale"))
    # Grid: every month and every y step; heavier every year and every labelled value.
    grid = []
    for m in range(MONTHS + 1):
        x = scale.x(m)
        width = "1" if m % 12 == 0 else "0.3"
        grid.append(f'<line x1="{x:.2f}" y1="{TOP}" x2="{x:.2f}" y2="{BOTTOM}" stroke="#5f6b6d" stroke-width="{width}" '
                    f'stroke-opacity="0.5"/>')
        if m % 3 == 0:
            grid.append(f'<text x="{x:.2f}" y="{BOTTOM + 16}" text-anchor="middle">{m}</text>')
    value = scale.y_min
    while value <= scale.y_max + 1e-9:
        y = scale.y(value)
        labelled = round(value) % Y_LABEL_EVERY[index] == 0
        grid.append(f'<line x1="{LEFT}" y1="{y:.2f}" x2="{RIGHT}" y2="{y:.2f}" stroke="#5f6b6d" '
                    f'stroke-width="{0.8 if labelled else 0.3}" stroke-opacity="0.5"/>')
        if labelled:
            grid.append(f'<text x="{LEFT - 6}" y="{y + 4:.2f}" text-anchor="end">{value:g}</text>')
        value += Y_STEP[index]
    out.append(f'<g class="grid">{"".join(grid)}</g>')
    # SD curves with their labels at the right edge.
    for sd in SDS:
        for segment in curves[sd]:
            out.append(f'<polyline class="sd" data-sd="{sd}" fill="none" stroke="{LINE_COLOURS[sd]}" '
                       f'stroke-width="{2 if sd == 0 else 1.4}" points="{_path(segment, scale)}"/>')
        last_m, last_v = curves[sd][-1][-1]
        out.append(f'<text x="{scale.x(last_m) + 4:.2f}" y="{scale.y(last_v) + 4:.2f}" fill="{LINE_COLOURS[sd]}" '
                   f'font-size="11">{_sd_label(sd)}</text>')
    # Axes and their labels.
    y_label = _("Weight (kg)") if index == "wfa" else _("Length/height (cm)")
    x_label = _("Age (months)")
    source = _("Source: WHO Child Growth Standards 2006")
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{RIGHT - LEFT}" height="{BOTTOM - TOP}" fill="none" stroke="#1f2a2c"/>')
    out.append(f'<text x="{(LEFT + RIGHT) / 2:g}" y="{BOTTOM + 36}" text-anchor="middle">{escape(x_label)}</text>')
    out.append(f'<text transform="translate(16 {(TOP + BOTTOM) / 2:g}) rotate(-90)" text-anchor="middle">'
               f'{escape(str(y_label))}</text>')
    out.append(f'<text x="{RIGHT}" y="{HEIGHT - 8}" text-anchor="end" font-size="10" fill="#5f6b6d">'
               f'{escape(source)}</text>')
    # The child's points, joined in date order as on the paper KMS.
    if chart_points:
        if len(chart_points) > 1:
            path = _path([(p.age_months, p.value) for p in chart_points], scale)
            out.append(f'<polyline class="child-line" fill="none" stroke="#14365d" stroke-width="1.6" points="{path}"/>')
        for p in chart_points:
            out.append(
                f'<circle class="child-point" cx="{scale.x(p.age_months):.2f}" cy="{scale.y(p.value):.2f}" r="4" '
                f'fill="#14365d" stroke="#ffffff" stroke-width="1" data-date="{p.measured_on.isoformat()}" '
                f'data-age-months="{p.age_months:.2f}" data-value="{p.value:g}">'
                f'<title>{escape(date_format(p.measured_on, "j M Y"))}: {_number(p.value)} {UNITS[index]}</title>'
                f'</circle>')
    out.append("</svg>")
    return "".join(out)

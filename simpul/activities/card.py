"""The public share card: a 1080×1080 PNG for WhatsApp, Instagram or Facebook.

Everything written on it comes from :func:`card_text`, which reads a fixed list of the activity's fields
(kind, posyandu and desa name, date, SPM fields, the summary, the counts) and nothing else: no tagged
people, no kader name, no household. The summary is checked again for residents' names and long numbers
and left off the card if anything slipped in. The photo is drawn only if it is shareable. The PNG is
written by Pillow without text chunks or EXIF.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps

from simpul.activities.models import ActivityLog, Kind
from simpul.core.choices import SpmField

SIZE = 1080
PHOTO_HEIGHT = 560
MARGIN = 64
TEAL, INK, MUTED, WHITE = (13, 110, 99), (25, 32, 38), (84, 96, 104), (255, 255, 255)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class CardText:
    heading: str
    place: str
    date: str
    fields: str
    summary: str
    counts: str
    footer: str

    def lines(self) -> list[str]:
        return [self.heading, self.place, self.date, self.fields, self.summary, self.counts, self.footer]


def public_summary(activity: ActivityLog) -> str:
    from simpul.activities.services import public_text_problems

    return "" if public_text_problems(activity.summary, activity.posyandu) else activity.summary


def counts_text(activity: ActivityLog) -> str:
    total = activity.people_served
    if not total:
        return ""
    parts = [
        (activity.served_children, _("children")),
        (activity.served_adults, _("adults")),
        (activity.served_elderly, _("elderly")),
    ]
    detail = ", ".join(f"{n} {label}" for n, label in parts if n)
    text = _("%(n)d people served") % {"n": total}
    if detail:
        text = f"{text}: {detail}"
    if activity.served_disability:
        text += " · " + _("%(n)d with a disability") % {"n": activity.served_disability}
    return text


def card_text(activity: ActivityLog) -> CardText:
    return CardText(
        heading=str(Kind(activity.kind).label),
        place=f"{activity.posyandu.name} · {activity.desa.name.title()}",
        date=date_format(activity.held_on, "j F Y"),
        fields=" · ".join(str(SpmField(code).label) for code in activity.fields if code in SpmField.values),
        summary=public_summary(activity),
        counts=counts_text(activity),
        footer=_("Posyandu serving six basic-service fields (6 SPM)"),
    )


def _font(size: int, *, bold: bool = False):
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return ImageFont.load_default(size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;") + " …"
    return lines


def render(text: CardText, photo: bytes | None = None) -> bytes:
    card = Image.new("RGB", (SIZE, SIZE), WHITE)
    draw = ImageDraw.Draw(card)
    top = 0
    if photo:
        with Image.open(io.BytesIO(photo)) as image:
            card.paste(
                ImageOps.fit(image.convert("RGB"), (SIZE, PHOTO_HEIGHT), Image.Resampling.LANCZOS), (0, 0)
            )
        top = PHOTO_HEIGHT
    else:
        draw.rectangle((0, 0, SIZE, 260), fill=TEAL)
        draw.text((MARGIN, 90), text.heading, font=_font(72, bold=True), fill=WHITE)
        top = 260
    width = SIZE - 2 * MARGIN
    y = top + 36 if photo else top + 60
    # Without a photo the text has the whole card: larger type, more lines of summary.
    scale, summary_lines = (1.0, 4) if photo else (1.4, 7)
    blocks = [
        (text.heading if photo else "", _font(44, bold=True), TEAL, 1),
        (text.place, _font(round(36 * scale), bold=True), INK, 2),
        (f"{text.date} · {text.fields}", _font(round(28 * scale)), MUTED, 2),
        (text.summary, _font(round(32 * scale)), INK, summary_lines),
        (text.counts, _font(round(32 * scale), bold=True), TEAL, 3),
    ]
    for value, font, colour, max_lines in blocks:
        if not value:
            continue
        for line in _wrap(draw, value, font, width, max_lines):
            if y > SIZE - 110:
                break
            draw.text((MARGIN, y), line, font=font, fill=colour)
            y += int(font.size * 1.3)
        y += 12
    draw.rectangle((0, SIZE - 72, SIZE, SIZE), fill=TEAL)
    draw.text((MARGIN, SIZE - 56), text.footer, font=_font(28), fill=WHITE)
    out = io.BytesIO()
    card.save(out, "PNG", optimize=True)  # no pnginfo: no tEXt/iTXt/eXIf chunks
    return out.getvalue()


def card_png(activity: ActivityLog, *, today) -> bytes:
    from simpul.activities.selectors import card_photo

    photo = card_photo(activity, today=today)
    content = None
    if photo is not None:
        with photo.file.open("rb") as handle:
            content = handle.read()
    return render(card_text(activity), content)

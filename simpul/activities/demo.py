"""Activity log for the demo city: a few activities of kader.miji's and kader.meri's posyandu, with photos
drawn by Pillow (a hall, tables, parcels, a gutter — shapes only, no people, no faces).

Recorded through the real service as each demo kader, so the photos are cleaned like any upload. One photo
is tagged with a child of the posyandu who has no publikasi consent: it stays private, to show the rule.
Call after the posyandu-day and programme demos (it links to their records when they exist).
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image, ImageDraw

from simpul.accounts.scope import scope_for
from simpul.activities.models import ActivityLog
from simpul.activities.photos import PhotoInput
from simpul.activities.selectors import taggable_children
from simpul.activities.services import ActivityInput, TagInput, activity_log_record
from simpul.demo.accounts import MERI, MIJI, first_posyandu

SKY, GRASS = (150, 200, 235), (110, 170, 90)


def _scene(kind: str, variant: int = 0) -> bytes:
    """A 1600×1200 drawing standing in for a phone photo."""
    image = Image.new("RGB", (1600, 1200), SKY)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 760, 1600, 1200), fill=GRASS)
    draw.ellipse((1300 - variant * 40, 90, 1440 - variant * 40, 230), fill=(250, 220, 90))  # the sun
    if kind in {"hall", "parcels"}:
        draw.rectangle((250, 380, 1350, 800), fill=(235, 225, 205))  # the hall
        draw.polygon([(200, 390), (800, 150), (1400, 390)], fill=(170, 70, 50))
        draw.rectangle((700, 560, 900, 800), fill=(120, 80, 50))
        draw.rectangle((560, 420, 1040, 500), fill=(30, 120, 110))  # a banner
        draw.text((640, 440), "POSYANDU", fill=(255, 255, 255), font_size=48)
    if kind == "hall":
        for x in (300, 1050):  # tables with a scale and a measuring board
            draw.rectangle((x, 860, x + 260, 900), fill=(140, 100, 60))
            draw.ellipse((x + 90, 800, x + 170, 860), outline=(60, 60, 60), width=8)
    if kind == "parcels":
        for i in range(6):  # rice and groceries parcels
            x = 320 + i * 160
            draw.rectangle(
                (x, 880, x + 120, 980), fill=(230, 200 - i * 10, 120), outline=(120, 90, 40), width=4
            )
    if kind == "gutter":
        draw.rectangle((0, 900, 1600, 980), fill=(90, 90, 95))  # the cleaned gutter
        draw.rectangle((0, 880, 1600, 900), fill=(180, 180, 175))
        for x in range(100, 1600, 300):
            draw.line((x, 700, x + 60, 880), fill=(100, 70, 40), width=12)  # hoes along the road
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _linked_ids(posyandu, day: dt.date):
    from simpul.programmes.models import ProgrammeActivity
    from simpul.serviceday.models import ServiceDay

    service_day = (
        ServiceDay.objects.filter(posyandu=posyandu, status=ServiceDay.Status.CLOSED, held_on__lte=day)
        .order_by("-held_on")
        .first()
    )
    friday = (
        ProgrammeActivity.objects.filter(
            posyandu=posyandu, date__lte=day, programme__name__icontains="Jumat Berkah"
        )
        .order_by("-date")
        .first()
    )
    return service_day, friday


def seed_demo(*, today: dt.date | None = None) -> int:
    """Create the demo activities once; returns how many were created."""
    if ActivityLog.objects.exists():
        return 0
    today = today or timezone.localdate()
    users = {
        name: get_user_model().objects.filter(username=name).first() for name in ("kader.miji", "kader.meri")
    }
    posyandu = {"kader.miji": first_posyandu(MIJI), "kader.meri": first_posyandu(MERI)}
    if None in users.values() or None in posyandu.values():
        return 0
    made = 0
    miji, meri = posyandu["kader.miji"], posyandu["kader.meri"]
    service_day, friday = _linked_ids(miji, today)
    day_held = service_day.held_on if service_day else today - dt.timedelta(days=20)
    shared = TagInput(share_requested=True)
    plans = [
        (
            "kader.miji",
            miji,
            ActivityInput(
                held_on=day_held,
                kind="posyandu_day",
                fields=["kesehatan", "pendidikan"],
                summary="Hari buka posyandu: penimbangan balita, pemeriksaan ibu hamil, kelas stimulasi PAUD dan "
                "penyuluhan gizi seimbang.",
                served_children=46,
                served_adults=21,
                served_elderly=9,
                served_disability=1,
                service_day_id=service_day.pk if service_day else None,
            ),
            [_scene("hall"), _scene("hall", 1)],
        ),
        (
            "kader.miji",
            miji,
            ActivityInput(
                held_on=friday.date if friday else today - dt.timedelta(days=(today.weekday() - 4) % 7 or 7),
                kind="programme_activity" if friday else "community_action",
                fields=["sosial"],
                summary="Jumat Berkah: pembagian paket beras dan lauk untuk lansia yang tinggal sendiri dan warga "
                "dengan disabilitas.",
                served_adults=4,
                served_elderly=18,
                served_disability=5,
                programme_activity_id=friday.pk if friday else None,
            ),
            [_scene("parcels")],
        ),
        (
            "kader.meri",
            meri,
            ActivityInput(
                held_on=today - dt.timedelta(days=9),
                kind="community_action",
                fields=["pekerjaan_umum", "perumahan"],
                summary="Kerja bakti membersihkan saluran air RW 02 dan pendataan rumah tidak layak huni.",
                served_adults=34,
                served_elderly=6,
            ),
            [_scene("gutter"), _scene("gutter", 2)],
        ),
    ]
    for username, place, data, pictures in plans:
        user = users[username]
        photos = [
            PhotoInput(name=f"demo-{made}-{i}.jpg", content=content) for i, content in enumerate(pictures)
        ]
        activity_log_record(
            actor=user,
            scope=scope_for(user),
            posyandu=place,
            data=data,
            photos=photos,
            tags=shared,
            now=timezone.now(),
        )
        made += 1
    # A photo with a child of the posyandu who has no publikasi consent: kept private, the kader sees why.
    child = taggable_children(miji, today=today).filter(consented=False).first()
    if child is not None:
        user = users["kader.miji"]
        activity_log_record(
            actor=user,
            scope=scope_for(user),
            posyandu=miji,
            photos=[PhotoInput(name="demo-kelas.jpg", content=_scene("hall", 2))],
            tags=TagInput(person_ids=[child.pk], share_requested=True),
            data=ActivityInput(
                held_on=today - dt.timedelta(days=3),
                kind="community_action",
                fields=["pendidikan"],
                summary="Kelas membaca bersama anak usia sekolah di balai RW.",
                served_children=15,
                served_adults=3,
            ),
            now=timezone.now(),
        )
        made += 1
    return made

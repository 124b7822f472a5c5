"""Writes of the activity log: record an activity with photos, add photos, tag who is visible, remove a photo.

Order in every service: guard (scope, then the input) → change → audit entry. Photos are cleaned
(``simpul.activities.photos``) before anything is stored, so a refused upload leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope
from simpul.activities import photos as photo_files
from simpul.activities.models import ActivityLog, ActivityPhoto, Kind, PhotoTag
from simpul.audit.services import audit_record
from simpul.core.choices import SpmField
from simpul.core.clock import latest_today
from simpul.core.errors import DomainError, NotInScope
from simpul.registry.models import Person

MAX_PHOTOS = 10  # per activity: enough for a posyandu day, small enough for a phone on a slow line
MAX_COUNT = 100_000
# NIK (16 digits), KK and phone numbers are long digit runs; none belongs in a public summary.
LONG_NUMBER = re.compile(r"\d[\d .-]{6,}\d")


@dataclass(frozen=True)
class ActivityInput:
    held_on: dt.date
    kind: str
    fields: list[str]
    summary: str
    served_children: int = 0
    served_adults: int = 0
    served_elderly: int = 0
    served_disability: int = 0
    service_day_id: int | None = None
    programme_activity_id: int | None = None
    client_uuid: uuid.UUID | None = None


@dataclass(frozen=True)
class TagInput:
    person_ids: list[int] = field(default_factory=list)
    untagged_children: bool = False
    share_requested: bool = False


def names_in(text: str, posyandu) -> list[str]:
    """Full names of the posyandu's registered people that appear in ``text`` as whole words."""
    folded = " ".join(text.casefold().split())
    found = []
    for name in Person.objects.filter(posyandu=posyandu).values_list("full_name", flat=True).distinct():
        needle = " ".join(name.casefold().split())
        if len(needle) >= 3 and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", folded):
            found.append(name)
    return sorted(found)


def public_text_problems(text: str, posyandu) -> list[str]:
    """Why a summary may not go on a public card (it is shown on it): names of residents, long numbers."""
    problems = []
    if LONG_NUMBER.search(text):
        problems.append(_("Do not write NIK, KK or phone numbers in the summary."))
    names = names_in(text, posyandu)
    if names:
        problems.append(
            _("The summary names registered residents (%(names)s); describe the activity without names.")
            % {"names": ", ".join(names)}
        )
    return problems


def _validate(posyandu, data: ActivityInput, *, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.held_on > today:
        errors["held_on"] = [_("This date cannot be in the future.")]
    elif data.held_on < dt.date(2000, 1, 1):
        errors["held_on"] = [_("Enter a date from the year 2000 onwards.")]
    if data.kind not in Kind.values:
        errors["kind"] = [_("Choose one of the listed options.")]
    if not data.fields or not set(data.fields) <= set(SpmField.values):
        errors["fields"] = [_("Choose at least one of the six fields.")]
    summary = " ".join((data.summary or "").split())
    if len(summary) < 10:
        errors["summary"] = [_("Describe in a sentence what was done (at least 10 characters).")]
    elif len(summary) > 500:
        errors["summary"] = [_("This text can be at most %(n)d characters.") % {"n": 500}]
    else:
        problems = public_text_problems(summary, posyandu)
        if problems:
            errors["summary"] = problems
    counts = [data.served_children, data.served_adults, data.served_elderly, data.served_disability]
    if any(not isinstance(n, int) or n < 0 or n > MAX_COUNT for n in counts):
        errors["served_children"] = [
            _("Counts must be whole numbers between 0 and %(n)d.") % {"n": MAX_COUNT}
        ]
    elif data.served_disability > sum(counts[:3]):
        errors["served_disability"] = [
            _(
                "People with a disability are counted within the groups above; this "
                "number cannot be larger than their total."
            )
        ]
    if data.service_day_id is not None:
        from simpul.serviceday.models import ServiceDay

        if not ServiceDay.objects.filter(pk=data.service_day_id, posyandu=posyandu).exists():
            errors["service_day"] = [_("Choose a posyandu day of this posyandu.")]
    if data.programme_activity_id is not None:
        from simpul.programmes.models import ProgrammeActivity

        linked = (
            ProgrammeActivity.objects.filter(pk=data.programme_activity_id)
            .select_related("programme")
            .first()
        )
        if linked is None or not (
            linked.posyandu_id == posyandu.pk
            or (linked.posyandu_id is None and posyandu.desa_id.startswith(linked.programme.region_id))
        ):
            errors["programme_activity"] = [_("Choose a programme activity of this posyandu or its area.")]
    return errors


def _check_tags(posyandu, tags: TagInput) -> dict[str, list[str]]:
    ids = set(tags.person_ids)
    found = set(Person.objects.filter(pk__in=ids, posyandu=posyandu).values_list("pk", flat=True))
    return {"people": [_("Tag only people registered at this posyandu.")]} if ids - found else {}


def _check_photos(uploads: list[photo_files.PhotoInput], *, have: int) -> dict[str, list[str]]:
    if have + len(uploads) > MAX_PHOTOS:
        return {"photos": [_("An activity can have at most %(n)s photos.") % {"n": MAX_PHOTOS}]}
    problems = [problem for item in uploads if (problem := photo_files.check(item))]
    return {"photos": problems} if problems else {}


def _store(activity: ActivityLog, uploads, tags: TagInput, *, actor, now) -> list[ActivityPhoto]:
    made = []
    for item in uploads:
        clean = photo_files.clean(item.content)
        photo = ActivityPhoto(
            activity=activity,
            width=clean.width,
            height=clean.height,
            size=len(clean.content),
            sha256=clean.sha256,
            share_requested=tags.share_requested,
            untagged_children=tags.untagged_children,
            uploaded_by=actor,
            uploaded_at=now,
        )
        # The stored name says nothing about the people or the place: activity id and the digest.
        stem = f"kegiatan-{activity.pk}-{clean.sha256[:12]}"
        photo.file.save(f"{stem}.jpg", ContentFile(clean.content), save=False)
        photo.thumb.save(f"{stem}-kecil.jpg", ContentFile(clean.thumb), save=False)
        photo.save()
        PhotoTag.objects.bulk_create(
            [PhotoTag(photo=photo, person_id=pk) for pk in sorted(set(tags.person_ids))]
        )
        made.append(photo)
    return made


def _require_edit(scope: Scope, *, desa_code: str, posyandu_id: int) -> None:
    if not scope.allows(Perm.REGISTER, desa_code=desa_code, posyandu_id=posyandu_id):
        raise NotInScope()


@transaction.atomic
def activity_log_record(
    *,
    actor,
    scope: Scope,
    posyandu,
    data: ActivityInput,
    photos: list[photo_files.PhotoInput] | None = None,
    tags: TagInput | None = None,
    now: dt.datetime | None = None,
) -> ActivityLog:
    """Log an activity of the posyandu, with its photos; a replay of the same client UUID returns the first."""
    now = now or timezone.now()
    _require_edit(scope, desa_code=posyandu.desa_id, posyandu_id=posyandu.pk)
    if data.client_uuid is not None:
        existing = ActivityLog.objects.filter(client_uuid=data.client_uuid, posyandu=posyandu).first()
        if existing is not None:
            return existing
    photos, tags = photos or [], tags or TagInput()
    errors = _validate(posyandu, data, today=latest_today(now))
    errors.update(_check_tags(posyandu, tags))
    errors.update(_check_photos(photos, have=0))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    activity = ActivityLog.objects.create(
        client_uuid=data.client_uuid or uuid.uuid4(),
        posyandu=posyandu,
        desa_id=posyandu.desa_id,
        held_on=data.held_on,
        kind=data.kind,
        fields=sorted(set(data.fields)),
        summary=" ".join(data.summary.split()),
        served_children=data.served_children,
        served_adults=data.served_adults,
        served_elderly=data.served_elderly,
        served_disability=data.served_disability,
        service_day_id=data.service_day_id,
        programme_activity_id=data.programme_activity_id,
        recorded_by=actor,
        recorded_at=now,
    )
    stored = _store(activity, photos, tags, actor=actor, now=now)
    audit_record(
        actor=actor,
        action="activities.activity.recorded",
        obj=activity,
        region_code=activity.desa_id,
        changes={
            "kind": activity.kind,
            "fields": ",".join(activity.fields),
            "photos": len(stored),
            "people_served": activity.people_served,
        },
    )
    return activity


EDITABLE = (
    "held_on",
    "kind",
    "fields",
    "summary",
    "served_children",
    "served_adults",
    "served_elderly",
    "served_disability",
    "service_day_id",
    "programme_activity_id",
)


@transaction.atomic
def activity_log_update(
    *, actor, scope: Scope, activity: ActivityLog, data: ActivityInput, now: dt.datetime | None = None
) -> ActivityLog:
    """Correct what was logged (a typo, a count); the photos are handled on their own."""
    now = now or timezone.now()
    _require_edit(scope, desa_code=activity.desa_id, posyandu_id=activity.posyandu_id)
    activity = ActivityLog.objects.select_for_update().get(pk=activity.pk)
    errors = _validate(activity.posyandu, data, today=latest_today(now))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    new = {name: getattr(data, name) for name in EDITABLE}
    new["fields"], new["summary"] = sorted(set(data.fields)), " ".join(data.summary.split())
    changes = {
        name: (getattr(activity, name), value)
        for name, value in new.items()
        if getattr(activity, name) != value
    }
    for name, value in new.items():
        setattr(activity, name, value)
    activity.save()
    audit_record(
        actor=actor,
        action="activities.activity.updated",
        obj=activity,
        region_code=activity.desa_id,
        changes={k: [",".join(v[0]), ",".join(v[1])] if k == "fields" else v for k, v in changes.items()},
    )
    return activity


@transaction.atomic
def activity_photos_add(
    *,
    actor,
    scope: Scope,
    activity: ActivityLog,
    photos: list[photo_files.PhotoInput],
    tags: TagInput | None = None,
    now: dt.datetime | None = None,
) -> list[ActivityPhoto]:
    now = now or timezone.now()
    _require_edit(scope, desa_code=activity.desa_id, posyandu_id=activity.posyandu_id)
    activity = ActivityLog.objects.select_for_update().get(pk=activity.pk)
    tags = tags or TagInput()
    errors = {} if photos else {"photos": [_("Choose at least one photo.")]}
    errors.update(_check_tags(activity.posyandu, tags))
    errors.update(_check_photos(photos, have=activity.photos.count()))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    stored = _store(activity, photos, tags, actor=actor, now=now)
    audit_record(
        actor=actor,
        action="activities.photo.added",
        obj=activity,
        region_code=activity.desa_id,
        changes={"photos": len(stored)},
    )
    return stored


@transaction.atomic
def photo_tags_set(
    *, actor, scope: Scope, photo: ActivityPhoto, tags: TagInput, now: dt.datetime | None = None
) -> ActivityPhoto:
    """Replace who is tagged in a photo and whether the kader wants it shared."""
    activity = photo.activity
    _require_edit(scope, desa_code=activity.desa_id, posyandu_id=activity.posyandu_id)
    errors = _check_tags(activity.posyandu, tags)
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    before = sorted(photo.tags.values_list("person_id", flat=True))
    photo.share_requested, photo.untagged_children = tags.share_requested, tags.untagged_children
    photo.save(update_fields=["share_requested", "untagged_children"])
    photo.tags.all().delete()
    PhotoTag.objects.bulk_create([PhotoTag(photo=photo, person_id=pk) for pk in sorted(set(tags.person_ids))])
    audit_record(
        actor=actor,
        action="activities.photo.tagged",
        obj=photo,
        region_code=activity.desa_id,
        changes={
            "people": [",".join(map(str, before)), ",".join(map(str, sorted(set(tags.person_ids))))],
            "share_requested": tags.share_requested,
            "untagged_children": tags.untagged_children,
        },
    )
    return photo


@transaction.atomic
def photo_delete(*, actor, scope: Scope, photo: ActivityPhoto, now: dt.datetime | None = None) -> None:
    activity = photo.activity
    _require_edit(scope, desa_code=activity.desa_id, posyandu_id=activity.posyandu_id)
    names = [photo.file.name, photo.thumb.name]
    audit_record(
        actor=actor,
        action="activities.photo.deleted",
        obj=photo,
        region_code=activity.desa_id,
        changes={"activity": activity.pk, "sha256": photo.sha256},
    )
    photo.delete()
    storage = ActivityPhoto._meta.get_field("file").storage
    # The files go only once the row is gone for good; a rolled-back delete keeps them.
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])

"""Reads of the activity log. Scope first, fail closed.

- An activity (what, when, counts) and its shareable photos: anyone with ``VIEW_POSYANDU`` over the place
  (kader and pengurus of the posyandu, the desa, camat, nakes, Tim Pembina).
- Private photos and the names tagged in photos: only ``VIEW_PERSON`` over the place (the posyandu's own
  kader and pengurus, the desa office, the nakes of the area) — never Tim Pembina, another posyandu or
  another kab/kota.
- Recording and tagging: ``REGISTER`` over the place.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.activities.models import ActivityLog, ActivityPhoto, PhotoTag
from simpul.core.errors import NotInScope
from simpul.posyandu.models import Posyandu
from simpul.registry.models import Consent, Person


def adult_cutoff(today: dt.date) -> dt.date:
    """People born after this day are children (under 18) on ``today``."""
    try:
        return today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 18, day=28)


def publication_consent_q(today: dt.date, *, person_ref: str = "person_id") -> Exists:
    """An active publikasi consent of the person referenced by ``person_ref`` on ``today``."""
    return Exists(
        Consent.objects.filter(
            person_id=OuterRef(person_ref),
            purpose=Consent.Purpose.PUBLICATION,
            given_on__lte=today,
        ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today))
    )


def shareable_q(today: dt.date) -> Q:
    """Photos that may be shown outside the posyandu (gallery, share card) on ``today``."""
    blocking = PhotoTag.objects.filter(
        photo_id=OuterRef("pk"), person__birth_date__gt=adult_cutoff(today)
    ).filter(~publication_consent_q(today))
    return Q(share_requested=True, untagged_children=False) & ~Exists(blocking)


def share_block_reasons(photo: ActivityPhoto, *, today: dt.date) -> list[str]:
    """Why a photo stays private, in Bahasa, for the kader who took it (she may see the names)."""
    reasons = []
    if not photo.share_requested:
        reasons.append(_("You did not mark this photo for sharing."))
    if photo.untagged_children:
        reasons.append(_("A child who is not tagged is visible in the photo."))
    children = (
        Person.objects.filter(pk__in=photo.tags.values("person_id"), birth_date__gt=adult_cutoff(today))
        .annotate(consented=publication_consent_q(today, person_ref="pk"))
        .filter(consented=False)
    )
    for child in children.order_by("full_name"):
        reasons.append(
            _("%(name)s is a child without a publication (publikasi) consent from a parent or guardian.")
            % {"name": child.full_name}
        )
    return reasons


def may_see_private(scope: Scope, activity: ActivityLog) -> bool:
    return scope.allows(Perm.VIEW_PERSON, desa_code=activity.desa_id, posyandu_id=activity.posyandu_id)


def may_edit(scope: Scope, activity: ActivityLog) -> bool:
    return scope.allows(Perm.REGISTER, desa_code=activity.desa_id, posyandu_id=activity.posyandu_id)


def activities_visible(
    scope: Scope, *, month: dt.date | None = None, region_code: str = "", perm: str = Perm.VIEW_POSYANDU
) -> QuerySet:
    """Activities of the user's area; ``perm=VIEW_AGGREGATES`` for counts only (the recap)."""
    scope = require_scope(scope)
    rows = scope.filter(ActivityLog.objects.select_related("posyandu", "desa"), perm)
    if month is not None:
        rows = rows.filter(held_on__gte=month, held_on__lt=next_month(month))
    if region_code:
        rows = rows.filter(desa__code__startswith=region_code)
    return rows


def activity_get(scope: Scope, pk: int) -> ActivityLog:
    activity = activities_visible(scope).filter(pk=pk).first()
    if activity is None:
        raise NotInScope()
    return activity


def photos_of(scope: Scope, activity: ActivityLog, *, today: dt.date) -> QuerySet:
    photos = activity.photos.annotate(
        shareable=ExpressionWrapper(shareable_q(today), output_field=BooleanField())
    )
    return photos if may_see_private(scope, activity) else photos.filter(shareable_q(today))


def photo_get(scope: Scope, pk: int, *, today: dt.date) -> ActivityPhoto:
    photo = ActivityPhoto.objects.select_related("activity").filter(pk=pk).first()
    if photo is None:
        raise NotInScope()
    activity_get(scope, photo.activity_id)  # the place first
    if not photos_of(scope, photo.activity, today=today).filter(pk=pk).exists():
        raise NotInScope()
    return photo


def card_photo(activity: ActivityLog, *, today: dt.date) -> ActivityPhoto | None:
    """The photo a share card shows: the first shareable one, never a private one."""
    return activity.photos.filter(shareable_q(today)).order_by("uploaded_at", "id").first()


def region_reachable(scope: Scope, code: str, *, perm: str = Perm.VIEW_POSYANDU) -> bool:
    """Whether any of the user's grants overlaps the region (a gallery of it is then not empty by rule)."""
    for prefix in scope.region_prefixes(perm):
        if prefix.startswith(code) or code.startswith(prefix):
            return True
    return Posyandu.objects.filter(pk__in=scope.posyandu_ids(perm), desa__code__startswith=code).exists()


def gallery(scope: Scope, *, today: dt.date, region_code: str = "") -> QuerySet:
    """Shareable photos of the user's area (optionally one region), newest activity first."""
    scope = require_scope(scope)
    photos = scope.filter(
        ActivityPhoto.objects.select_related("activity__posyandu", "activity__desa"),
        Perm.VIEW_POSYANDU,
        region_field="activity__desa__code",
        posyandu_field="activity__posyandu_id",
    )
    if region_code:
        photos = photos.filter(activity__desa__code__startswith=region_code)
    return photos.filter(shareable_q(today)).order_by("-activity__held_on", "-activity_id", "id")


def gallery_places(scope: Scope, *, today: dt.date, region_code: str = "") -> list[dict]:
    """The desa with shareable photos in the gallery, with how many: links to each desa's gallery."""
    return list(
        gallery(scope, today=today, region_code=region_code)
        .order_by()
        .values("activity__desa__code", "activity__desa__name")
        .annotate(n=Count("id"))
        .order_by("activity__desa__code")
    )


def taggable_children(posyandu: Posyandu, *, today: dt.date) -> QuerySet:
    """Living children of the posyandu, with whether a publikasi consent is active (for the tag picker)."""
    return (
        Person.objects.filter(
            posyandu=posyandu,
            life_status=Person.LifeStatus.ALIVE,
            birth_date__gt=adult_cutoff(today),
            birth_date__lte=today,
        )
        .annotate(consented=publication_consent_q(today, person_ref="pk"))
        .order_by("full_name")
    )


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)

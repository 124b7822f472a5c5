"""Access matrix rows of the activity pages (merged by simpul/core/tests/test_access_matrix.py).

The objects: an activity of Posyandu Melati Miji with one shareable photo (adults only) and one private
photo (a child without publikasi consent). The activity, its card and shareable photos: whoever oversees
the posyandu; the private photo: only those who may see Miji's people; recording: the kader.
"""

OVERSEE = {
    "kader_miji",
    "kader_meri",
    "kader_jepara",
    "lurah_miji",
    "camat_kranggan",
    "bidan_kranggan",
    "pembina_mojokerto",
}
AT_MIJI = {"kader_miji", "lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto"}
PRIVATE = {"kader_miji", "lurah_miji", "bidan_kranggan"}
KADER = {"kader_miji", "kader_meri", "kader_jepara"}
COUNTS = OVERSEE | {"opd_dinsos"}


def extend(objects: dict) -> None:
    from django.contrib.auth import get_user_model

    from simpul.accounts.scope import scope_for
    from simpul.activities.photos import PhotoInput
    from simpul.activities.services import TagInput, activity_photos_add
    from simpul.activities.tests.kit import phone_photo, record

    kader = get_user_model().objects.get(username="kader.miji")
    adult = objects["household"].members.get(full_name="Budi Santoso")
    child = objects["household"].members.get(full_name="Aisyah Putri")
    activity = record(
        kader,
        objects["posyandu"],
        photos=[phone_photo(64, 48)],
        tags=TagInput(person_ids=[adult.pk], share_requested=True),
    )
    [private] = activity_photos_add(
        actor=kader,
        scope=scope_for(kader),
        activity=activity,
        photos=[PhotoInput("b.jpg", phone_photo(64, 48))],
        tags=TagInput(person_ids=[child.pk], share_requested=True),
    )
    objects["activity"] = activity
    objects["shared_photo"] = activity.photos.exclude(pk=private.pk).get()
    objects["private_photo"] = private


PAGES = {
    "activities:list": (lambda o: "/kegiatan/", OVERSEE),
    "activities:new": (lambda o: "/kegiatan/baru/", KADER),
    "activities:recap": (lambda o: "/kegiatan/rekap/?bulan=2026-11", COUNTS),
    "activities:gallery": (lambda o: "/kegiatan/galeri/", OVERSEE),
    "activities:gallery_region": (lambda o: "/kegiatan/galeri/3576/", OVERSEE - {"kader_jepara"}),
    "activities:detail": (lambda o: f"/kegiatan/{o['activity'].pk}/", AT_MIJI),
    "activities:edit": (lambda o: f"/kegiatan/{o['activity'].pk}/ubah/", {"kader_miji"}),
    "activities:card": (lambda o: f"/kegiatan/{o['activity'].pk}/kartu.png", AT_MIJI),
    "activities:photo": (lambda o: f"/kegiatan/foto/{o['private_photo'].pk}/", PRIVATE),
}
API: dict = {}
NOT_IN_MATRIX = {
    # POST only: simpul/activities/tests/test_activity_views.py
    "activities:photo_add",
    "activities:photo_tags",
    "activities:photo_remove",
}

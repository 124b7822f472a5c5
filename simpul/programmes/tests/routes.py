"""Access matrix rows of the programme pages (merged by simpul/core/tests/test_access_matrix.py).

The object is a social-affairs programme of Kelurahan Miji for the elderly, with one activity: seen by whoever
holds the sosial field over Miji (its kader, the lurah, the camat, Tim Pembina, Dinsos), never by the kader
next door, Jepara, the bidan (kesehatan only) or the administrator; run by the lurah and Miji's kader.
"""

SEE = {"kader_miji", "lurah_miji", "camat_kranggan", "pembina_mojokerto", "opd_dinsos"}
AGGREGATES = {
    "kader_miji",
    "kader_meri",
    "kader_jepara",
    "lurah_miji",
    "camat_kranggan",
    "bidan_kranggan",
    "pembina_mojokerto",
    "opd_dinsos",
}
OWNERS = {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "pembina_mojokerto", "opd_dinsos"}


def extend(objects: dict) -> None:
    from simpul.programmes.tests.kit import desa_programme

    programme, activity = desa_programme()
    objects["programme"], objects["programme_activity"] = programme, activity


PAGES = {
    "programmes:list": (lambda o: "/program/", AGGREGATES),
    "programmes:create": (lambda o: "/program/baru/", OWNERS),
    "programmes:detail": (lambda o: f"/program/{o['programme'].pk}/", SEE),
    "programmes:edit": (lambda o: f"/program/{o['programme'].pk}/ubah/", {"lurah_miji"}),
    "programmes:not_reached": (lambda o: f"/program/{o['programme'].pk}/belum-terjangkau/", SEE),
    "programmes:not_reached_export": (lambda o: f"/program/{o['programme'].pk}/belum-terjangkau.xlsx", SEE),
    "programmes:activity_create": (
        lambda o: f"/program/{o['programme'].pk}/kegiatan/baru/",
        {"kader_miji", "lurah_miji"},
    ),
    "programmes:activity": (
        lambda o: f"/program/{o['programme'].pk}/kegiatan/{o['programme_activity'].pk}/",
        SEE,
    ),
    "programmes:follow_up": (lambda o: f"/program/{o['programme'].pk}/tindak-lanjut/", SEE),
    "programmes:household_earners": (
        lambda o: f"/program/keluarga/{o['household'].pk}/penghasilan/",
        {"kader_miji"},
    ),
}
API = {
    "programmes_list": (lambda o: "/api/v1/programmes", AGGREGATES),
    "programmes_detail": (lambda o: f"/api/v1/programmes/{o['programme'].pk}", SEE),
    "programmes_not_reached": (lambda o: f"/api/v1/programmes/{o['programme'].pk}/not-reached", SEE),
}
NOT_IN_MATRIX = {
    # POST only: simpul/programmes/tests/test_programmes_api.py
    "programmes_create",
    "programmes_activity_create",
    "programmes_participants_record",
    "programmes_follow_up_create",
}

"""Access-matrix rows for the public status page and the printable receipt (to merge into routes.py)."""

EVERYONE = {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "bidan_kranggan",
            "pembina_mojokerto", "opd_dinsos", "admin_user"}


def extend(objects: dict) -> None:
    """An RTLH referral of the Miji household, recorded by kader.miji (still at the village)."""
    from django.contrib.auth import get_user_model

    from simpul.referrals.tests.kit import record

    kader = get_user_model().objects.get(username="kader.miji")
    objects["public_referral"] = record(kader, household=objects["household"])


PAGES = {
    # No login and no personal data: everyone (and anyone) gets it (test_public_views).
    "public_status:lookup": (lambda o: "/status/", EVERYONE),
    "public_status:ticket": (lambda o: f"/status/{o['public_referral'].ticket}/", EVERYONE),
    # Those who may open the referral: its kader and the village while it is at the village (test_receipt_views).
    "referrals:receipt": (lambda o: f"/rujukan/{o['public_referral'].pk}/tanda-terima/", {"kader_miji", "lurah_miji"}),
}

"""Access matrix rows of the referral pages (merged by simpul/core/tests/test_access_matrix.py).

Rows are grouped by page family; the public status page and the settings pages keep theirs in
routes_public.py and routes_settings.py.
"""

from simpul.referrals.tests import routes_public as public
from simpul.referrals.tests import routes_settings as settings_rows

# --- Supervision (views_monitor): the village office, the camat and Tim Pembina; tickets without names.
MONITOR = {"lurah_miji", "camat_kranggan", "pembina_mojokerto"}

# --- Named referrals: who holds VIEW_REFERRALS (kader, desa, OPD); a referral at the village only its kader and desa.
VIEWERS = {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "opd_dinsos"}
RECORDERS = {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji"}
AT_VILLAGE = {"kader_miji", "lurah_miji"}


def extend(objects: dict) -> None:
    public.extend(objects)
    settings_rows.extend(objects)


PAGES = {
    "referrals:list": (lambda o: "/rujukan/", VIEWERS),
    "referrals:record": (lambda o: "/rujukan/baru/", RECORDERS),
    "referrals:export": (lambda o: "/rujukan/ekspor.xlsx", VIEWERS),
    "referrals:detail": (lambda o: f"/rujukan/{o['public_referral'].pk}/", AT_VILLAGE),
    "referrals:attachment": (lambda o: f"/rujukan/{o['public_referral'].pk}/dokumen/"
                             f"{o['public_referral'].attachments.first().pk}/", AT_VILLAGE),
    "referrals:monitor": (lambda o: "/rujukan/pantau/", MONITOR),
    "referrals:monitor_compliance": (lambda o: "/rujukan/pantau/kepatuhan/?bulan=2026-03", MONITOR),
    "referrals:monitor_compliance_xlsx": (lambda o: "/rujukan/pantau/kepatuhan.xlsx?bulan=2026-03", MONITOR),
}
PAGES |= public.PAGES | settings_rows.PAGES
API = {
    "referral_list": (lambda o: "/api/v1/referrals", VIEWERS),
    "referral_read": (lambda o: f"/api/v1/referrals/{o['public_referral'].pk}", AT_VILLAGE),
    "agency_list": (lambda o: "/api/v1/agencies", VIEWERS | MONITOR),
}
NOT_IN_MATRIX = {
    # POST-only: simpul/referrals/tests/test_views.py, test_api.py, test_moves.py
    "referrals:move", "referrals:approve", "referrals:attach",
    "referral_create", "referral_move_api", "referral_approve_api", "referral_attach_api",
} | settings_rows.NOT_IN_MATRIX

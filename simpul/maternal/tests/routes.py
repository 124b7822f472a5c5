"""Rows of the central access matrix (simpul/core/tests/test_access_matrix.py) for the KIA pages and API.

Only the kesehatan kader of Posyandu Miji and the bidan of Kecamatan Kranggan may open a Miji mother's
pregnancy; the lurah, the camat, Tim Pembina, the Dinsos officer, the admin and the kader next door or in
Jepara get 403/404. The list endpoint answers everyone with only what they may see (empty for outsiders:
simpul/maternal/tests/test_api.py checks that).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.maternal.services import AncVisitInput, PregnancyInput, anc_visit_record, pregnancy_register

HEALTH = {"kader_miji", "bidan_kranggan"}
ALL = {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan", "bidan_kranggan",
       "pembina_mojokerto", "opd_dinsos", "admin_user"}

PAGES = {
    "maternal:person_kia": (lambda o: f"/kia/orang/{o['mother'].pk}/", HEALTH),
    "maternal:pregnancy_register": (lambda o: f"/kia/orang/{o['mother'].pk}/hamil-baru/", HEALTH),
    "maternal:anc_visit_record": (lambda o: f"/kia/kehamilan/{o['pregnancy'].pk}/kunjungan/", HEALTH),
    "maternal:pregnancy_close": (lambda o: f"/kia/kehamilan/{o['pregnancy'].pk}/selesai/", HEALTH),
    "maternal:nifas_visit_record": (lambda o: f"/kia/kehamilan/{o['pregnancy'].pk}/nifas/", HEALTH),
    "maternal:anc_visit_correct": (lambda o: f"/kia/kunjungan/{o['anc_visit'].pk}/koreksi/", HEALTH),
    "maternal:pregnant_women": (lambda o: f"/kia/posyandu/{o['posyandu'].pk}/ibu-hamil/", HEALTH),
}
API = {
    "pregnancy_list": (lambda o: f"/api/v1/pregnancies?person_id={o['mother'].pk}", ALL),
    "pregnancy_detail": (lambda o: f"/api/v1/pregnancies/{o['pregnancy'].pk}", HEALTH),
    "pregnancy_pregnant_women": (lambda o: f"/api/v1/pregnancies/pregnant-women?posyandu_id={o['posyandu'].pk}",
                                 HEALTH),
}
# POST only: simpul/maternal/tests/test_api.py and test_views.py.
NOT_IN_MATRIX = {"pregnancy_create", "pregnancy_close_api", "pregnancy_anc_visit_create",
                 "pregnancy_anc_visit_correct", "pregnancy_nifas_visit_create"}


def extend(objects: dict) -> None:
    """Siti Aminah of the Miji household, pregnant (HPHT 100 days ago), with one antenatal visit."""
    kader = get_user_model().objects.get(username="kader.miji")
    scope = scope_for(kader)
    today = timezone.localdate()
    mother = objects["household"].members.get(full_name="Siti Aminah")
    pregnancy = pregnancy_register(actor=kader, scope=scope, person=mother, data=PregnancyInput(
        registered_on=today - dt.timedelta(days=50), hpht=today - dt.timedelta(days=100), gravida=2, para=1))
    visit = anc_visit_record(actor=kader, scope=scope, pregnancy=pregnancy, data=AncVisitInput(
        visited_on=today - dt.timedelta(days=50), examiner="bidan", muac_cm="22.0"))
    objects.update(mother=mother, pregnancy=pregnancy, anc_visit=visit)

"""Screening routes in the central access matrix (simpul/core/tests/test_access_matrix.py).

``extend`` adds ``objects["adult"]`` (Budi Santoso of ``family_miji``, Posyandu Miji; ``objects["person"]`` is
the family's first member by name, the toddler) and a screening of him as ``objects["screening"]``.
Only the kesehatan kader of the posyandu and the nakes of the kecamatan may open them.
"""

import datetime as dt

from django.contrib.auth import get_user_model

from simpul.accounts.scope import scope_for
from simpul.screening.services import ScreeningInput, screening_record

HEALTH = {"kader_miji", "bidan_kranggan"}

PAGES = {
    "screening:person_history": (lambda o: f"/skrining/orang/{o['adult'].pk}/", HEALTH),
    "screening:screening_record": (lambda o: f"/skrining/orang/{o['adult'].pk}/baru/", HEALTH),
    "screening:screening_correct": (lambda o: f"/skrining/{o['screening'].pk}/koreksi/", HEALTH),
    "screening:posyandu_list": (lambda o: f"/skrining/posyandu/{o['posyandu'].pk}/", HEALTH),
}
API = {
    # A list answers 200 to everyone, filtered to the caller's health scope (empty for outsiders).
    "screenings_list": (lambda o: f"/api/v1/screenings?person_id={o['adult'].pk}",
                        {"kader_miji", "kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                         "bidan_kranggan", "pembina_mojokerto", "opd_dinsos", "admin_user"}),
    "screening_detail": (lambda o: f"/api/v1/screenings/{o['screening'].pk}", HEALTH),
    "screening_targets_list": (lambda o: f"/api/v1/screenings/targets?posyandu_id={o['posyandu'].pk}", HEALTH),
}
# POST only: simpul/screening/tests/test_screening_api.py
NOT_IN_MATRIX = {"screening_create", "screening_correct_api"}


def extend(objects: dict) -> None:
    kader = get_user_model().objects.get(username="kader.miji")
    objects["adult"] = objects["household"].members.get(full_name="Budi Santoso")
    objects["screening"] = screening_record(
        actor=kader, scope=scope_for(kader), person=objects["adult"],
        data=ScreeningInput(screened_on=dt.date(2026, 11, 1), systolic=150, diastolic=95),
    )

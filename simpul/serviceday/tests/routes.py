"""Rows of the central access matrix (simpul/core/tests/test_access_matrix.py) for the posyandu day."""

import datetime as dt

from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.serviceday.models import DayReferral
from simpul.serviceday.services import attendance_record, day_close, day_open, day_schedule

HEALTH_TEAM = {"kader_miji", "bidan_kranggan"}
SCHEDULE = {"kader_miji", "lurah_miji", "camat_kranggan", "bidan_kranggan", "pembina_mojokerto"}


def extend(objects: dict) -> None:
    """A closed day of posyandu_miji today; the person (a child without immunisations) is on its referral list."""
    from django.contrib.auth import get_user_model

    kader = get_user_model().objects.get(username="kader.miji")
    scope = scope_for(kader)
    now = timezone.now()
    day = day_schedule(actor=kader, scope=scope, posyandu=objects["posyandu"], held_on=timezone.localdate(),
                       now=now - dt.timedelta(hours=1))
    day_open(actor=kader, scope=scope, day=day, now=now)
    attendance_record(actor=kader, scope=scope, day=day, person=objects["person"], now=now)
    day_close(actor=kader, scope=scope, day=day, now=now)
    objects["day"] = day
    objects["day_referral"] = DayReferral.objects.get(day=day, person=objects["person"])


PAGES = {
    "serviceday:posyandu_days": (lambda o: f"/hari-buka/posyandu/{o['posyandu'].pk}/", SCHEDULE),
    "serviceday:day": (lambda o: f"/hari-buka/{o['day'].pk}/", SCHEDULE),
    "serviceday:register": (lambda o: f"/hari-buka/{o['day'].pk}/daftar/", HEALTH_TEAM),
    "serviceday:measure": (lambda o: f"/hari-buka/{o['day'].pk}/ukur/", HEALTH_TEAM),
    "serviceday:record": (lambda o: f"/hari-buka/{o['day'].pk}/catat/", HEALTH_TEAM),
    "serviceday:services": (lambda o: f"/hari-buka/{o['day'].pk}/layanan/", HEALTH_TEAM),
    "serviceday:counselling": (lambda o: f"/hari-buka/{o['day'].pk}/penyuluhan/", HEALTH_TEAM),
    "serviceday:results": (lambda o: f"/hari-buka/{o['day'].pk}/hasil/", HEALTH_TEAM),
    "serviceday:validate": (lambda o: f"/hari-buka/{o['day'].pk}/validasi/", {"bidan_kranggan"}),
    # The list page itself is open to every health user; its rows are scoped (see test_serviceday_views).
    "serviceday:referrals": (lambda o: "/hari-buka/rujukan/", {"kader_miji", "kader_meri", "kader_jepara",
                                                                 "bidan_kranggan"}),
}
API = {
    # A list everyone may ask for; what it holds is scoped (test_serviceday_api).
    "service_days_list": (lambda o: "/api/v1/service-days", {"kader_miji", "kader_meri", "kader_jepara",
                                                              "lurah_miji", "camat_kranggan", "bidan_kranggan",
                                                              "pembina_mojokerto", "opd_dinsos", "admin_user"}),
    "service_day_detail": (lambda o: f"/api/v1/service-days/{o['day'].pk}", HEALTH_TEAM),
    "service_day_referrals": (lambda o: "/api/v1/service-days/referrals", {"kader_miji", "kader_meri",
                                                                            "kader_jepara", "bidan_kranggan"}),
}
NOT_IN_MATRIX = {
    # POST-only: simpul/serviceday/tests/test_serviceday_views.py and test_serviceday_api.py
    "serviceday:open", "serviceday:cancel", "serviceday:attend", "serviceday:walk_in", "serviceday:measure_person",
    "serviceday:service_record", "serviceday:close", "serviceday:follow_up", "serviceday:absence_visit",
    "service_day_create", "service_day_open", "service_day_attend", "service_day_service", "service_day_counselling",
    "service_day_close",
}

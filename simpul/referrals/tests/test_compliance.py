"""SLA compliance per agency, desa and kecamatan, counted by hand from referrals with known dates.

February 2026 (no holiday before the 16th): recorded Mon 2 → due Mon 9; Tue 3 → Tue 10; Thu 19 → Thu 26.
"Today" is Fri 20 February; the period is February.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from conftest import MERI, MIJI, MOJOKERTO, agency, make_user, register_family
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.core.errors import ScopeMissing
from simpul.referrals.compliance import compliance, total
from simpul.referrals.tests.kit import move, record

D = dt.date
WIB = ZoneInfo("Asia/Jakarta")
TODAY = D(2026, 2, 20)
FEB = {"start": D(2026, 2, 1), "end": D(2026, 2, 28), "today": TODAY}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=WIB)


def forwarded(kader, household, lurah, on: dt.date, **extra):
    need = record(kader, category="trb_rawan_bencana", household=household, now=at(on), **extra)
    need = move(lurah, need, "verify", note="Sudah dikunjungi, rumah di bantaran.", now=at(on, 13))
    return move(lurah, need, "forward", agency=agency(MOJOKERTO, "bpbd"), now=at(on, 14))


@pytest.fixture
def february(kader_miji, family_miji, lurah_miji, kader_meri, posyandu_meri, kader_jepara, family_jepara):
    bpbd = make_user("opd.bpbd", Role.OPD, region=MOJOKERTO, fields=["trantibumlinmas"], agency_code="bpbd")
    lurah_meri = make_user("lurah.meri", Role.DESA, region=MERI, is_head=True)
    family_meri = register_family(kader_meri, posyandu_meri, kk="3576030101200009", head="Joko Susilo")
    monday = D(2026, 2, 2)
    made = {}
    # Miji, still at the village: rejected Thu 5 → on time.
    made["a"] = move(lurah_miji, record(kader_miji, category="trb_rawan_bencana", household=family_miji,
                                        now=at(monday)), "reject", note="Bukan rawan bencana.", now=at(D(2026, 2, 5)))
    # Miji → BPBD: rejected Wed 11 → late; rejected Mon 9 (the due date) → on time; still open → overdue.
    made["b"] = move(bpbd, forwarded(kader_miji, family_miji, lurah_miji, monday), "reject",
                     note="Di luar kewenangan.", now=at(D(2026, 2, 11)))
    made["c"] = move(bpbd, forwarded(kader_miji, family_miji, lurah_miji, monday), "reject",
                     note="Sudah ditangani.", now=at(D(2026, 2, 9), 16))
    made["d"] = forwarded(kader_miji, family_miji, lurah_miji, monday)
    # Miji, confidential (KDRT, 2 working days → due Wed 4), never moved: counted as open and overdue.
    made["secret"] = record(kader_miji, category="trb_kdrt", household=family_miji, now=at(monday))
    # Meri: recorded Tue 3 (due Tue 10), rejected Wed 11 → late.
    made["f"] = move(lurah_meri, record(kader_meri, category="trb_rawan_bencana", household=family_meri,
                                        now=at(D(2026, 2, 3))), "reject", note="Data ganda.", now=at(D(2026, 2, 11)))
    # Not counted: open and not due yet (due Thu 26); due in January; another regency.
    made["not_due"] = record(kader_miji, category="trb_rawan_bencana", household=family_miji, now=at(D(2026, 2, 19)))
    made["january"] = record(kader_miji, category="trb_rawan_bencana", household=family_miji, now=at(D(2026, 1, 19)))
    made["jepara"] = record(kader_jepara, category="trb_rawan_bencana", household=family_jepara, now=at(monday))
    return made


def by_key(rows):
    return {row["key"]: {k: row[k] for k in ("due", "on_time", "late", "open_overdue", "percent")} for row in rows}


@pytest.mark.django_db
def test_compliance_per_desa_for_the_camat(february, camat_kranggan):
    rows = compliance(scope_for(camat_kranggan), by="desa", **FEB)
    assert by_key(rows) == {
        MIJI: {"due": 5, "on_time": 2, "late": 1, "open_overdue": 2, "percent": 40.0},
        MERI: {"due": 1, "on_time": 0, "late": 1, "open_overdue": 0, "percent": 0.0},
    }
    assert [row["label"] for row in rows] == ["Meri", "Miji"]


@pytest.mark.django_db
def test_compliance_per_kecamatan_and_the_total(february, pembina_mojokerto):
    rows = compliance(scope_for(pembina_mojokerto), by="kecamatan", **FEB)
    assert by_key(rows) == {"357603": {"due": 6, "on_time": 2, "late": 2, "open_overdue": 2, "percent": 33.3}}
    assert rows[0]["label"] == "Kranggan"
    summed = total(compliance(scope_for(pembina_mojokerto), by="desa", **FEB))
    assert (summed["due"], summed["on_time"], summed["percent"]) == (6, 2, 33.3)


@pytest.mark.django_db
def test_compliance_per_agency_counts_the_ones_still_at_the_village_apart(february, camat_kranggan):
    rows = compliance(scope_for(camat_kranggan), by="agency", **FEB)
    bpbd = agency(MOJOKERTO, "bpbd")
    assert by_key(rows) == {
        bpbd.pk: {"due": 3, "on_time": 1, "late": 1, "open_overdue": 1, "percent": 33.3},
        None: {"due": 3, "on_time": 1, "late": 1, "open_overdue": 1, "percent": 33.3},
    }
    assert rows[0]["label"] == "BPBD" and rows[-1]["key"] is None


@pytest.mark.django_db
def test_the_lurah_counts_only_his_desa(february, lurah_miji):
    assert set(by_key(compliance(scope_for(lurah_miji), by="desa", **FEB))) == {MIJI}
    assert by_key(compliance(scope_for(lurah_miji), by="kecamatan", **FEB))["357603"]["due"] == 5


@pytest.mark.django_db
def test_a_later_today_brings_in_the_ones_that_have_passed_their_due_date(february, camat_kranggan):
    rows = compliance(scope_for(camat_kranggan), by="desa", **{**FEB, "today": D(2026, 2, 27)})
    assert by_key(rows)[MIJI]["due"] == 6 and by_key(rows)[MIJI]["open_overdue"] == 3


@pytest.mark.django_db
def test_a_period_without_due_referrals_has_no_rows(february, camat_kranggan):
    assert compliance(scope_for(camat_kranggan), by="agency", start=D(2026, 4, 1), end=D(2026, 4, 30),
                      today=TODAY) == []
    assert total([])["percent"] is None


@pytest.mark.django_db
def test_outsiders_count_nothing_of_mojokerto(february, kader_jepara, kader_meri):
    assert compliance(scope_for(kader_meri), by="desa", **FEB) == []  # a kader's grant is one posyandu
    assert compliance(scope_for(kader_jepara), by="desa", **FEB) == []
    jepara_camat = make_user("camat.jepara", Role.KECAMATAN, region=february["jepara"].desa_id[:6], is_head=True)
    rows = compliance(scope_for(jepara_camat), by="desa", **FEB)
    assert by_key(rows) == {february["jepara"].desa_id: {"due": 1, "on_time": 0, "late": 0, "open_overdue": 1,
                                                         "percent": 0.0}}


@pytest.mark.django_db
def test_without_a_scope_it_fails_closed():
    with pytest.raises(ScopeMissing):
        compliance(None, by="desa", **FEB)


@pytest.mark.django_db
def test_an_unknown_grouping_is_refused(camat_kranggan):
    with pytest.raises(ValueError):
        compliance(scope_for(camat_kranggan), by="posyandu", **FEB)

"""``sos.*`` and ``trantib.*`` (rule ``referral_resolved``): who was referred in the year, and whose referral was
resolved with the service.

Referrals are recorded and moved through the referral services with explicit ``now=`` (so ``recorded_on`` and
``closed_on`` fall on the days named); the year is judged with an explicit ``today``. Every expected number is
worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from conftest import JEPARA, MOJOKERTO, make_user, person_input
from simpul.accounts.models import Membership
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.referrals.models import Category
from simpul.referrals.services import route_for
from simpul.referrals.tests.kit import move, record
from simpul.registry.models import Person
from simpul.registry.services import HouseholdInput, household_register, person_move
from simpul.spm import engine

pytestmark = pytest.mark.django_db

REGISTERED = dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC)  # 5 January 2026, 09:00 WIB
TODAY = dt.date(2026, 11, 23)
VISIT = "Kunjungan rumah: kondisi sesuai laporan."
ELDERLY, DISABLED, FIRE = "sos.lansia_telantar", "sos.disabilitas", "trantib.kebakaran"
AGENCY = {"sos": "dinsos", "trb_kebakaran": "damkar"}
_names = itertools.count()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # referral documents


def at(month, day):
    return dt.datetime(2026, month, day, 3, tzinfo=dt.UTC)  # 10:00 WIB that day


def family(user, posyandu, head, *others):
    return household_register(actor=user, scope=scope_for(user), now=REGISTERED, data=HouseholdInput(
        posyandu_id=posyandu.pk, address=f"Jl. {head} 1", rt="002", rw="004",
        members=[person_input(head, "M", dt.date(1950, 1, 1), "kepala"),
                 *(person_input(name, "F", dt.date(1945, 6, 6), "famili_lain") for name in others)]))


def officer(category, region=MOJOKERTO):
    code = AGENCY.get(category, AGENCY.get(category.split("_")[0]))
    return make_user(f"opd.{code}.{next(_names)}", Role.OPD, region=region, agency_code=code)


def referral(kader, lurah, category, recorded, *, person=None, accepted=None, resolved=None, outcome="",
             region=MOJOKERTO, **place):
    """Recorded on ``recorded``; verified, forwarded and accepted on ``accepted``; resolved on ``resolved``."""
    ref = record(kader, category=category, person=person, now=recorded, **place)
    if accepted is None:
        return ref
    agent = officer(category, region)
    ref = move(lurah, ref, "verify", note=VISIT, now=accepted)
    ref = move(lurah, ref, "forward", agency=route_for(Category.objects.get(code=category), ref.desa_id),
               now=accepted)
    ref = move(agent, ref, "accept", now=accepted)
    if resolved is not None:
        ref = move(agent, ref, "resolve", outcome=outcome, note="Sudah ditangani oleh dinas.", now=resolved)
    return ref


def counts(posyandu, codes, months, posyandu_ids=None):
    found = engine.count(posyandu_ids or [posyandu.pk], 2026, today=TODAY, months=months, codes=codes)
    return {(code, month): found.get((code, posyandu.pk, month), [0, 0, 0]) for code in codes for month in months}


def judged(posyandu, code, month):
    return list(engine.judge([posyandu.pk], 2026, today=TODAY, months=[month], codes=[code]))


@pytest.fixture
def elderly(kader_miji, lurah_miji, posyandu_miji):
    home = family(kader_miji, posyandu_miji, "Darmo", "Sri", "Karto")
    darmo, sri, karto = (home.members.get(full_name=name) for name in ("Darmo", "Sri", "Karto"))
    # Darmo: referred 3 Feb (never acted on), referred again 4 May, and that one resolved 8 Jun with the service.
    first = referral(kader_miji, lurah_miji, "sos_lansia_telantar", at(2, 3), person=darmo)
    second = referral(kader_miji, lurah_miji, "sos_lansia_telantar", at(5, 4), person=darmo, accepted=at(5, 5),
                      resolved=at(6, 8), outcome="basic_needs_served")
    # Sri: referred 3 Mar, rejected as unfounded by the village on 5 Mar.
    rejected = referral(kader_miji, lurah_miji, "sos_lansia_telantar", at(3, 3), person=sri)
    move(lurah_miji, rejected, "reject", note="Tinggal bersama anaknya, terawat.", now=at(3, 5))
    # Karto: referred 10 Mar, resolved 1 Apr, reopened by the village on 2 May (the need is still there).
    karto_ref = referral(kader_miji, lurah_miji, "sos_lansia_telantar", at(3, 10), person=karto, accepted=at(3, 11),
                         resolved=at(4, 1), outcome="basic_needs_served")
    move(lurah_miji, karto_ref, "reopen", note="Keluarga melapor belum ada bantuan.", now=at(5, 2))
    return {"darmo": (darmo, first.ticket, second.ticket), "karto": (karto, karto_ref.ticket)}


def test_neglected_elderly_month_by_month(elderly, posyandu_miji):
    found = counts(posyandu_miji, [ELDERLY], [1, 2, 3, 4, 5, 6, 11])
    # January: nobody referred yet. February: Darmo (open) ✗ → [1, 0].
    assert found[(ELDERLY, 1)] == [0, 0, 0]
    assert found[(ELDERLY, 2)] == [1, 0, 0]
    # March: + Karto (open) ✗; Sri's referral was rejected, never counted → [2, 0].
    assert found[(ELDERLY, 3)] == [2, 0, 0]
    # April: Karto's referral was resolved on 1 Apr but is reopened now; its state is current, so it is not
    # served in any month → [2, 0]. May: Darmo's second referral is open → still [2, 0].
    assert found[(ELDERLY, 4)] == [2, 0, 0]
    assert found[(ELDERLY, 5)] == [2, 0, 0]
    # June: Darmo's second referral resolved 8 Jun ✓ — Darmo counted once although referred twice → [2, 1].
    assert found[(ELDERLY, 6)] == [2, 1, 0]
    assert found[(ELDERLY, 11)] == [2, 1, 0]


def test_a_person_referred_twice_is_one_unit_and_missing_names_each_open_ticket(elderly, posyandu_miji):
    darmo, first, second = elderly["darmo"]
    karto, karto_ticket = elderly["karto"]
    may = {j.unit: j.verdict for j in judged(posyandu_miji, ELDERLY, 5)}
    assert set(may) == {engine.Unit("person", darmo.pk), engine.Unit("person", karto.pk)}
    # Only the ticket goes into the detail: never the description or who reported it.
    assert [(m.code, m.detail) for m in may[engine.Unit("person", darmo.pk)].missing] == [
        ("referral_open", {"ticket": first}), ("referral_open", {"ticket": second})]
    assert [(m.code, m.detail) for m in may[engine.Unit("person", karto.pk)].missing] == [
        ("referral_open", {"ticket": karto_ticket})]
    assert all(v.posyandu_id == posyandu_miji.pk for v in may.values())
    june = {j.unit: j.verdict for j in judged(posyandu_miji, ELDERLY, 6)}
    assert june[engine.Unit("person", darmo.pk)].served and june[engine.Unit("person", darmo.pk)].missing == ()


def test_handled_counts_as_served(kader_miji, lurah_miji, posyandu_miji):
    home = family(kader_miji, posyandu_miji, "Wahyu", "Yanti")
    wahyu, yanti = home.members.get(full_name="Wahyu"), home.members.get(full_name="Yanti")
    referral(kader_miji, lurah_miji, "sos_disabilitas", at(3, 2), person=wahyu, accepted=at(3, 3),
             resolved=at(3, 20), outcome="handled")
    referral(kader_miji, lurah_miji, "sos_disabilitas", at(3, 2), person=yanti, accepted=at(3, 3))  # in progress
    found = counts(posyandu_miji, [DISABLED, ELDERLY], [2, 3])
    # February: nobody. March: Wahyu handled 20 Mar ✓, Yanti accepted, open ✗ → [2, 1]. Elderly untouched.
    assert found[(DISABLED, 2)] == [0, 0, 0]
    assert found[(DISABLED, 3)] == [2, 1, 0]
    assert found[(ELDERLY, 3)] == [0, 0, 0]


def test_fire_reports_are_counted_as_reports(kader_miji, lurah_miji, posyandu_miji):
    # Two fires in RT 002/004: the first handled the next day, the second still with Damkar.
    one = referral(kader_miji, lurah_miji, "trb_kebakaran", at(7, 7), rt="002", rw="004", accepted=at(7, 7),
                   resolved=at(7, 8), outcome="handled")
    two = referral(kader_miji, lurah_miji, "trb_kebakaran", at(8, 8), rt="002", rw="004", accepted=at(8, 8))
    found = counts(posyandu_miji, [FIRE], [6, 7, 8])
    # June: none. July: fire 1 resolved 8 Jul ✓ → [1, 1]. August: + fire 2 open ✗ → [2, 1].
    assert found[(FIRE, 6)] == [0, 0, 0]
    assert found[(FIRE, 7)] == [1, 1, 0]
    assert found[(FIRE, 8)] == [2, 1, 0]
    august = {j.unit: j.verdict for j in judged(posyandu_miji, FIRE, 8)}
    assert set(august) == {engine.Unit("report", one.pk), engine.Unit("report", two.pk)}
    assert [(m.code, m.detail) for m in august[engine.Unit("report", two.pk)].missing] == [
        ("referral_open", {"ticket": two.ticket})]


def test_a_referral_from_last_year_is_not_this_years(kader_miji, lurah_miji, posyandu_miji):
    home = family(kader_miji, posyandu_miji, "Paiman")
    referral(kader_miji, lurah_miji, "sos_lansia_telantar", dt.datetime(2025, 12, 1, 3, tzinfo=dt.UTC),
             person=home.members.get())
    # Recorded 1 Dec 2025: in 2025's sasaran, not 2026's → [0, 0] in every 2026 month.
    assert counts(posyandu_miji, [ELDERLY], [1, 11])[(ELDERLY, 11)] == [0, 0, 0]


def test_jepara_referrals_never_enter_miji(elderly, posyandu_miji, kader_jepara, posyandu_jepara):
    lurah_jepara = make_user("lurah.jepara", Role.DESA, region=posyandu_jepara.desa_id, is_head=True)
    home = family(kader_jepara, posyandu_jepara, "Slamet", "Sumi")
    for name, resolved in (("Slamet", at(6, 1)), ("Sumi", None)):
        referral(kader_jepara, lurah_jepara, "sos_lansia_telantar", at(5, 20), person=home.members.get(full_name=name),
                 accepted=at(5, 21), resolved=resolved, outcome="basic_needs_served" if resolved else "",
                 region=JEPARA)
    both = [posyandu_miji.pk, posyandu_jepara.pk]
    assert counts(posyandu_miji, [ELDERLY], [6], both) == counts(posyandu_miji, [ELDERLY], [6])
    assert counts(posyandu_miji, [ELDERLY], [6])[(ELDERLY, 6)] == [2, 1, 0]  # Darmo ✓, Karto ✗ as above
    # Jepara, June: Slamet resolved 1 Jun ✓, Sumi open ✗ → [2, 1].
    assert counts(posyandu_jepara, [ELDERLY], [6], both)[(ELDERLY, 6)] == [2, 1, 0]
    assert not Person.objects.filter(posyandu=posyandu_miji, full_name__in=["Slamet", "Sumi"]).exists()


def test_a_person_referred_in_two_posyandu_is_counted_once_where_the_latest_referral_was(
        lurah_miji, posyandu_miji, posyandu_meri):
    # A kader of both posyandu (two memberships), so one user can register, move and record in each.
    kader = make_user("kader.miji.meri", Role.KADER, posyandu=posyandu_miji)
    Membership.objects.create(user=kader, role=Role.KADER, posyandu=posyandu_meri,
                              fields=list(kader.memberships.get().fields))
    lurah_meri = make_user("lurah.meri", Role.DESA, region=posyandu_meri.desa_id, is_head=True)
    tono = family(kader, posyandu_miji, "Tono").members.get()
    referral(kader, lurah_miji, "sos_lansia_telantar", at(2, 3), person=tono)  # in Miji, never acted on
    new_home = family(kader, posyandu_meri, "Tarno")
    person_move(actor=kader, scope=scope_for(kader), person=tono, to_household=new_home, moved_on=dt.date(2026, 4, 1),
                relationship="famili_lain", now=at(4, 1))
    tono.refresh_from_db()
    referral(kader, lurah_meri, "sos_lansia_telantar", at(5, 4), person=tono, accepted=at(5, 5), resolved=at(6, 8),
             outcome="basic_needs_served")  # in Meri, resolved 8 Jun
    both = [posyandu_miji.pk, posyandu_meri.pk]
    for ids in (both, None):  # together, or each posyandu on its own (as a refresh does): the same cells
        miji = counts(posyandu_miji, [ELDERLY], [3, 6], ids)
        meri = counts(posyandu_meri, [ELDERLY], [3, 6], ids)
        # March: only the Miji referral → Miji [1, 0], Meri [0, 0].
        assert miji[(ELDERLY, 3)] == [1, 0, 0] and meri[(ELDERLY, 3)] == [0, 0, 0]
        # June: the latest referral is Meri's, resolved 8 Jun → Meri [1, 1]; Miji no longer counts him [0, 0].
        # One person, once: 1 + 0 = 1 across both.
        assert miji[(ELDERLY, 6)] == [0, 0, 0] and meri[(ELDERLY, 6)] == [1, 1, 0]

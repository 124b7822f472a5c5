"""day_findings: the exact list of reasons a mother needs the bidan after a posyandu day."""

import pytest

from simpul.accounts.scope import scope_for
from simpul.health.findings import Finding
from simpul.maternal.models import AncVisit, NifasVisit
from simpul.maternal.selectors import day_findings
from simpul.maternal.services import AncVisitInput, anc_visit_correct
from simpul.maternal.tests.kit import NOW, D, add_woman, close, nifas, register, siti, visit

pytestmark = pytest.mark.django_db
DAY = D(2026, 11, 14)


def label(sign, model=AncVisit):
    return str(model.DangerSign(sign).label)


@pytest.fixture
def day(kader_miji, kader_meri, posyandu_miji, posyandu_meri, family_miji):
    siti_ = siti(family_miji)
    dewi = add_woman(kader_miji, posyandu_miji, "Dewi Lestari", D(1994, 2, 3))
    rina = add_woman(kader_miji, posyandu_miji, "Rina Wati", D(1990, 4, 5))
    tuti = add_woman(kader_miji, posyandu_miji, "Tuti", D(1992, 4, 5))
    meri = add_woman(kader_meri, posyandu_meri, "Wulan", D(1991, 1, 1))
    p_siti = register(kader_miji, siti_, hpht=D(2026, 5, 1))
    p_dewi = register(kader_miji, dewi, hpht=D(2026, 6, 1))
    p_rina = close(kader_miji, register(kader_miji, rina, hpht=D(2026, 1, 20)), on=D(2026, 11, 1))
    p_tuti = register(kader_miji, tuti, hpht=D(2026, 4, 1))
    p_meri = register(kader_meri, meri, hpht=D(2026, 5, 1))
    # The day at Posyandu Miji:
    visit(kader_miji, p_siti, DAY, examiner="kader", muac_cm="22.0", systolic=150, diastolic=95,
          danger_signs=["bleeding", "high_fever"])
    visit(kader_miji, p_siti, DAY, examiner="bidan", muac_cm="21.5")  # the same reason again: once
    visit(kader_miji, p_dewi, DAY, examiner="kader", muac_cm="25.0", systolic=120, diastolic=80)  # nothing
    visit(kader_miji, p_dewi, D(2026, 11, 13), muac_cm="20.0")  # another day
    nifas(kader_miji, p_rina, DAY, systolic=145, diastolic=92, danger_signs=["fever"])
    wrong = visit(kader_miji, p_tuti, DAY, muac_cm="20.0")  # corrected to 24.0 below: no KEK any more
    anc_visit_correct(actor=kader_miji, scope=scope_for(kader_miji), visit=wrong, reason="salah ketik",
                      data=AncVisitInput(visited_on=DAY, examiner="bidan", muac_cm="24.0"), now=NOW)
    visit(kader_meri, p_meri, DAY, muac_cm="20.0")  # another posyandu
    return {"siti": siti_, "rina": rina}


def test_the_exact_findings_of_the_day(kader_miji, posyandu_miji, day):
    findings = day_findings(scope_for(kader_miji), posyandu_id=posyandu_miji.pk, day=DAY)
    assert findings == [
        Finding(person_id=day["siti"].pk, reason="kek", detail="LiLA 22.0 cm"),
        Finding(person_id=day["siti"].pk, reason="pregnancy_hypertension", detail="TD 150/95"),
        Finding(person_id=day["siti"].pk, reason="pregnancy_danger_sign",
                detail=f"{label('bleeding')}, {label('high_fever')}"),
        Finding(person_id=day["rina"].pk, reason="pregnancy_hypertension", detail="TD 145/92"),
        Finding(person_id=day["rina"].pk, reason="pregnancy_danger_sign", detail=label("fever", NifasVisit)),
    ]


def test_the_bidan_gets_the_same_list(bidan_kranggan, kader_miji, posyandu_miji, day):
    assert day_findings(scope_for(bidan_kranggan), posyandu_id=posyandu_miji.pk, day=DAY) == day_findings(
        scope_for(kader_miji), posyandu_id=posyandu_miji.pk, day=DAY)


def test_a_quiet_day_has_no_findings(kader_miji, posyandu_miji, day):
    assert day_findings(scope_for(kader_miji), posyandu_id=posyandu_miji.pk, day=D(2026, 11, 15)) == []


def test_the_other_posyandu_gets_its_own(kader_meri, posyandu_meri, day):
    findings = day_findings(scope_for(kader_meri), posyandu_id=posyandu_meri.pk, day=DAY)
    assert [(f.reason, f.detail) for f in findings] == [("kek", "LiLA 20.0 cm")]


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                      "pembina_mojokerto", "opd_dinsos"])
def test_outsiders_get_nothing(request, posyandu_miji, day, outsider):
    scope = scope_for(request.getfixturevalue(outsider))
    assert day_findings(scope, posyandu_id=posyandu_miji.pk, day=DAY) == []

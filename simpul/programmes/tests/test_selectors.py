"""Who sees which programme, reach per programme (by desa for TP Posyandu), and the masked not-reached list."""

import pytest

from conftest import KRANGGAN, MERI, MIJI, make_posyandu, make_user
from simpul.accounts.scope import scope_for
from simpul.programmes import selectors
from simpul.programmes.models import Participation, Programme, ProgrammeActivity
from simpul.programmes.tests.kit import desa_programme, family, today, years_ago


@pytest.fixture
def elders(kader_miji, posyandu_miji, kader_meri, posyandu_meri):
    miji = family(
        kader_miji,
        posyandu_miji,
        ("Mbah Darmo", "M", years_ago(70), "kepala"),
        ("Mbah Sumi", "F", years_ago(68), "istri"),
        ("Joko", "M", years_ago(40), "anak"),
        rt="003",
    )
    meri = family(kader_meri, posyandu_meri, ("Mbah Sri", "F", years_ago(80), "kepala"))
    return {
        "darmo": miji.members.get(full_name="Mbah Darmo"),
        "sumi": miji.members.get(full_name="Mbah Sumi"),
        "joko": miji.members.get(full_name="Joko"),
        "sri": meri.members.get(),
    }


def visible(user) -> set[str]:
    return set(selectors.programmes_visible(scope_for(user)).values_list("name", flat=True))


@pytest.mark.django_db
def test_who_sees_which_programme(
    posyandu_miji,
    kader_miji,
    kader_meri,
    kader_jepara,
    lurah_miji,
    camat_kranggan,
    bidan_kranggan,
    pembina_mojokerto,
    opd_dinsos,
    admin_user,
):
    Programme.objects.create(
        owner_kind="posyandu",
        posyandu=posyandu_miji,
        region_id=MIJI,
        field="sosial",
        name="Posyandu Miji",
        kind="social_aid",
        start_date=today(),
    )
    Programme.objects.create(
        owner_kind="desa", region_id=MIJI, field="sosial", name="Desa Miji", kind="other", start_date=today()
    )
    Programme.objects.create(
        owner_kind="tp_posyandu",
        region_id=KRANGGAN,
        field="sosial",
        name="TP Kranggan",
        kind="mentoring",
        start_date=today(),
    )
    Programme.objects.create(
        owner_kind="desa",
        region_id=MERI,
        field="kesehatan",
        name="Sehat Meri",
        kind="other",
        start_date=today(),
    )
    other_in_miji = make_user("kader.miji2", "kader", posyandu=make_posyandu(MIJI, "Posyandu Kenanga Miji"))
    assert visible(kader_miji) == {"Posyandu Miji", "Desa Miji", "TP Kranggan"}
    assert visible(other_in_miji) == {"Desa Miji", "TP Kranggan"}  # never another posyandu's own programme
    assert visible(kader_meri) == {"TP Kranggan", "Sehat Meri"}
    assert visible(lurah_miji) == {"Posyandu Miji", "Desa Miji", "TP Kranggan"}
    assert (
        visible(camat_kranggan)
        == visible(pembina_mojokerto)
        == {"Posyandu Miji", "Desa Miji", "TP Kranggan", "Sehat Meri"}
    )
    assert visible(opd_dinsos) == {"Posyandu Miji", "Desa Miji", "TP Kranggan"}  # sosial only
    assert visible(bidan_kranggan) == {"Sehat Meri"}  # kesehatan only
    assert visible(kader_jepara) == visible(admin_user) == set()


@pytest.mark.django_db
def test_reach_counts_eligible_and_reached(elders):
    programme, activity = desa_programme(rule="lansia")
    Participation.objects.create(activity=activity, person=elders["darmo"], status="attended")
    Participation.objects.create(activity=activity, person=elders["joko"], status="attended")  # not eligible
    Participation.objects.create(activity=activity, person=elders["sumi"], status="absent", attended=False)
    reach = selectors.reach(programme)
    assert (reach.total.eligible, reach.total.reached, reach.total.percent) == (2, 1, 50.0)
    assert reach.total.participants == 2  # Darmo and Joko came; Sumi was absent
    assert reach.by == "posyandu"


@pytest.mark.django_db
def test_tp_posyandu_reach_by_desa(elders):
    programme = Programme.objects.create(
        owner_kind="tp_posyandu",
        region_id=KRANGGAN,
        field="sosial",
        name="Lansia Kranggan",
        kind="elderly_empowerment",
        target_rule="lansia",
        start_date=today(),
    )
    activity = ProgrammeActivity.objects.create(programme=programme, date=today(), kind="gathering")
    Participation.objects.create(activity=activity, person=elders["sumi"], status="delivered")
    reach = selectors.reach(programme)
    assert reach.by == "desa"
    rows = {row.code: (row.eligible, row.reached, row.percent) for row in reach.rows}
    assert rows == {MIJI: (2, 1, 50.0), MERI: (1, 0, 0.0)}
    assert (reach.total.eligible, reach.total.reached) == (3, 1)
    # Before the activity day nobody was reached.
    import datetime as dt

    assert selectors.reach(programme, on=today() - dt.timedelta(days=1)).total.reached == 0


@pytest.mark.django_db
def test_not_reached_named_for_the_place_masked_for_supervisors(
    elders, kader_miji, kader_meri, lurah_miji, pembina_mojokerto, opd_dinsos, camat_kranggan
):
    programme, activity = desa_programme(rule="lansia")
    Participation.objects.create(activity=activity, person=elders["darmo"], status="attended")
    for user in (kader_miji, lurah_miji):
        page = selectors.not_reached(scope_for(user), programme)
        assert [(r.id, r.name, r.rt) for r in page.rows] == [(elders["sumi"].pk, "Mbah Sumi", "003")]
        assert page.names_visible
    for user in (pembina_mojokerto, opd_dinsos, camat_kranggan):
        page = selectors.not_reached(scope_for(user), programme)
        assert [(r.id, r.name, r.rt, r.posyandu) for r in page.rows] == [
            (None, "M*** S***", "003", "Posyandu Melati Miji")
        ]
        assert not page.names_visible
    # A kecamatan programme: Miji's kader reads Miji's names, Meri's rows masked — and the other way round.
    wide = Programme.objects.create(
        owner_kind="tp_posyandu",
        region_id=KRANGGAN,
        field="sosial",
        name="Lansia",
        kind="elderly_empowerment",
        target_rule="lansia",
        start_date=today(),
    )
    rows = sorted((r.id is not None, r.name) for r in selectors.not_reached(scope_for(kader_miji), wide).rows)
    assert rows == [(False, "M*** S***"), (True, "Mbah Darmo"), (True, "Mbah Sumi")]
    named = {r.name for r in selectors.not_reached(scope_for(kader_meri), wide).rows if r.id}
    assert named == {"Mbah Sri"}


@pytest.mark.django_db
def test_not_reached_pages(kader_miji, posyandu_miji):
    from conftest import person_input, register_family

    members = [
        person_input(f"Lansia {i:02d}", "F", years_ago(61 + i % 20), "kepala" if i == 0 else "famili_lain")
        for i in range(55)
    ]
    register_family(kader_miji, posyandu_miji, head="Lansia 00", members=members)
    programme, _activity = desa_programme(rule="lansia")
    first = selectors.not_reached(scope_for(kader_miji), programme, page=1)
    second = selectors.not_reached(scope_for(kader_miji), programme, page=2)
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (55, 2, 50, 5)
    assert selectors.not_reached(scope_for(kader_miji), programme, page=None).total == 55


@pytest.mark.django_db
def test_history_only_shows_programmes_the_reader_may_see(elders, kader_miji, kader_jepara, bidan_kranggan):
    programme, activity = desa_programme(rule="lansia")
    Participation.objects.create(activity=activity, person=elders["darmo"], status="attended")
    ids = [elders["darmo"].pk]
    assert [h["programme"].pk for h in selectors.history_for_people(scope_for(kader_miji), ids)] == [
        programme.pk
    ]
    assert selectors.history_for_people(scope_for(kader_jepara), ids) == []
    assert selectors.history_for_people(scope_for(bidan_kranggan), ids) == []  # a sosial programme

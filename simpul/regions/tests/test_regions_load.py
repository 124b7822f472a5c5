"""Loading the Kemendagri region tree, and the dusun/RW/RT subdivisions below a desa."""

import gzip

import pytest

from simpul.core.errors import DomainError
from simpul.regions.models import Region, Subdivision
from simpul.regions.selectors import kecamatan_code_exists, region_ancestors, region_children, region_get
from simpul.regions.services import regions_load, subdivision_create

MIJI = "3576031002"
MERI = "3576031003"


def kota_mojokerto_counts() -> dict[int, int]:
    under = Region.objects.filter(code__startswith="3576")
    return {
        1: Region.objects.filter(code="35", level=1).count(),
        2: under.filter(level=2).count(),
        3: under.filter(level=3).count(),
        4: under.filter(level=4).count(),
    }


def delete_under(prefix: str) -> None:
    from simpul.referrals.models import Agency, RoutingRule

    # The session's agencies and routing rules point at these regions (PROTECT): remove them first.
    RoutingRule.objects.filter(region__code__startswith=prefix).delete()
    Agency.objects.filter(region__code__startswith=prefix).delete()
    for level in (4, 3, 2, 1):
        Region.objects.filter(code__startswith=prefix, level=level).delete()


def test_the_session_holds_kota_mojokerto_with_its_ancestors(db):
    # 1 province + 1 city + 3 kecamatan + 18 kelurahan
    assert kota_mojokerto_counts() == {1: 1, 2: 1, 3: 3, 4: 18}
    miji = Region.objects.get(code=MIJI)
    assert (miji.name, miji.level, miji.parent_id) == ("Miji", Region.Level.VILLAGE, "357603")
    assert miji.is_kelurahan
    assert miji.dotted_code == "35.76.03.1002"


def test_a_prefixed_load_inserts_the_ancestors_and_the_subtree(db):
    delete_under("35")
    result = regions_load(prefix="3576")
    assert (result.total, result.created, result.updated) == (23, 23, 0)
    assert kota_mojokerto_counts() == {1: 1, 2: 1, 3: 3, 4: 18}
    assert Region.objects.get(code="3576").parent_id == "35"


def test_loading_twice_changes_nothing(db):
    before = list(Region.objects.order_by("code").values_list("code", "name", "level", "parent_id"))
    result = regions_load(prefix="3576")
    assert (result.total, result.created, result.updated) == (23, 0, 0)
    again = regions_load(prefix="3576")
    assert (again.created, again.updated) == (0, 0)
    assert list(Region.objects.order_by("code").values_list("code", "name", "level", "parent_id")) == before


def test_a_kecamatan_prefix_reuses_the_province_and_city_already_loaded(db):
    result = regions_load(prefix="357603")
    assert (result.total, result.created, result.updated) == (1 + 1 + 1 + 6, 0, 0)


def test_a_sibling_regency_in_a_loaded_province_loads(db):
    # Kota Surabaya shares province 35 with Kota Mojokerto; the province must not be inserted again.
    result = regions_load(prefix="3578")
    created = Region.objects.filter(code__startswith="3578")
    assert result.created == created.count()
    assert created.filter(level=Region.Level.REGENCY).get().name == "Kota Surabaya"
    assert Region.objects.filter(code="35").count() == 1


def test_a_dotted_prefix_is_accepted(db):
    result = regions_load(prefix="35.76")
    assert (result.total, result.created) == (23, 0)


def test_it_restores_a_changed_name_and_parent(db):
    Region.objects.filter(code=MIJI).update(name="Miji Lama")
    Region.objects.filter(code=MERI).update(parent_id="357601")
    result = regions_load(prefix="3576")
    assert (result.created, result.updated) == (0, 2)
    assert Region.objects.get(code=MIJI).name == "Miji"
    assert Region.objects.get(code=MERI).parent_id == "357603"


def test_a_newer_extract_adds_new_codes_and_renames(db, tmp_path):
    source = tmp_path / "newer.csv.gz"
    with gzip.open(source, "wt", encoding="utf-8", newline="") as handle:
        handle.write("code,parent_code,name\n")
        handle.write("35,,Jawa Timur\n3576,35,Kota Mojokerto\n357603,3576,Kranggan\n")
        handle.write("3576031002,357603,Miji Baru\n3576031099,357603,\"Kelurahan Baru, Satu\"\n")
    result = regions_load(source=source, prefix="3576")
    assert (result.total, result.created, result.updated) == (5, 1, 1)
    assert Region.objects.get(code="3576031099").name == "Kelurahan Baru, Satu"
    assert Region.objects.get(code=MIJI).name == "Miji Baru"


@pytest.mark.slow
def test_a_full_load_holds_every_region_of_indonesia(db):
    already = Region.objects.count()  # Kota Mojokerto and Kab. Jepara from the session
    result = regions_load()
    assert (result.total, result.created, result.updated) == (91_599, 91_599 - already, 0)
    counts = {level: Region.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert counts == {1: 38, 2: 514, 3: 7_285, 4: 83_762}
    assert Region.objects.filter(level=4, parent__isnull=True).count() == 0
    assert Region.objects.get(code="3320").name == "Kabupaten Jepara"
    assert kota_mojokerto_counts() == {1: 1, 2: 1, 3: 3, 4: 18}
    assert regions_load(prefix="3320").created == 0


def test_selectors_walk_the_tree(db):
    miji = region_get("35.76.03.1002")
    assert [r.code for r in region_ancestors(miji)] == ["35", "3576", "357603", MIJI]
    assert region_children("357603").count() == 6
    assert set(region_children(None).values_list("code", flat=True)) >= {"35", "33"}
    assert kecamatan_code_exists("357603")
    assert not kecamatan_code_exists("357699")
    assert not kecamatan_code_exists(MIJI[:4])


# --- subdivisions -------------------------------------------------------------------------

@pytest.fixture
def miji(db):
    return Region.objects.get(code=MIJI)


def test_it_builds_dusun_rw_rt(miji):
    dusun = subdivision_create(desa=miji, kind="dusun", name="  Krajan  ")
    rw = subdivision_create(desa=miji, kind="rw", name="004", parent=dusun)
    rt = subdivision_create(desa=miji, kind="rt", name="002", parent=rw)
    assert dusun.name == "Krajan"
    assert (rt.parent, rw.parent) == (rw, dusun)
    assert Subdivision.objects.filter(desa=miji).count() == 3


def test_rw_and_rt_may_stand_without_a_parent(miji):
    assert subdivision_create(desa=miji, kind="rw", name="001").parent is None
    assert subdivision_create(desa=miji, kind="rt", name="001").parent is None


def test_asking_again_returns_the_same_subdivision(miji):
    first = subdivision_create(desa=miji, kind="dusun", name="Krajan")
    assert subdivision_create(desa=miji, kind="dusun", name="krajan") == first
    assert Subdivision.objects.filter(desa=miji).count() == 1


@pytest.mark.parametrize(
    ("kind", "parent_kind"),
    [("rt", "dusun"), ("rt", "rt"), ("rw", "rw"), ("rw", "rt"), ("dusun", "dusun"), ("dusun", "rw")],
)
def test_it_refuses_a_subdivision_under_the_wrong_kind(miji, kind, parent_kind):
    parent = Subdivision.objects.create(desa=miji, kind=parent_kind, name="Induk")
    with pytest.raises(DomainError) as caught:
        subdivision_create(desa=miji, kind=kind, name="001", parent=parent)
    assert "parent" in caught.value.field_errors
    assert Subdivision.objects.count() == 1


def test_it_refuses_a_parent_from_another_desa(miji):
    meri_rw = subdivision_create(desa=Region.objects.get(code=MERI), kind="rw", name="001")
    with pytest.raises(DomainError) as caught:
        subdivision_create(desa=miji, kind="rt", name="001", parent=meri_rw)
    assert "parent" in caught.value.field_errors


def test_it_refuses_subdivisions_of_a_kecamatan(db):
    with pytest.raises(DomainError):
        subdivision_create(desa=Region.objects.get(code="357603"), kind="rw", name="001")
    assert Subdivision.objects.count() == 0


@pytest.mark.parametrize(("kind", "name", "field"), [("rw", "", "name"), ("rw", "   ", "name"),
                                                      ("rw", "x" * 61, "name"), ("blok", "A", "kind")])
def test_it_refuses_bad_names_and_kinds(miji, kind, name, field):
    with pytest.raises(DomainError) as caught:
        subdivision_create(desa=miji, kind=kind, name=name)
    assert field in caught.value.field_errors
    assert Subdivision.objects.count() == 0

"""The feed holds only the kader's own posyandu: never the next village's, never another regency's."""

import pytest

from conftest import register_family
from simpul.sync.tests.kit import auth, item, pull_all, push, statuses


@pytest.fixture
def three_posyandu(kader_miji, posyandu_miji, family_miji, family_jepara, kader_meri, posyandu_meri):
    meri = register_family(kader_meri, posyandu_meri, head="Wahyu Meri", kk="3576030101200003")
    return family_miji, meri, family_jepara


@pytest.mark.django_db
def test_each_kader_receives_only_her_posyandu(client, three_posyandu, kader_miji, kader_meri, kader_jepara):
    miji, meri, jepara = three_posyandu
    aisyah = miji.members.get(full_name="Aisyah Putri")
    push(client, auth(kader_miji), [item("measurement.create", {"person_id": aisyah.pk, "measured_on": "2025-02-01",
                                                                "weight_kg": 8.4})])
    homes = {"miji": miji, "meri": meri, "jepara": jepara}
    for kader, own in ((kader_miji, "miji"), (kader_meri, "meri"), (kader_jepara, "jepara")):
        rows, drops, _cursor, _pages = pull_all(client, auth(kader))
        assert set(rows["household"]) == {homes[own].pk}, kader
        assert set(rows["person"]) == set(homes[own].members.values_list("pk", flat=True))
        assert all(p["posyandu_id"] == homes[own].posyandu_id for p in rows["person"].values())
        assert ("measurement" in rows) == (own == "miji")
        assert drops == []


@pytest.mark.django_db
def test_nik_and_kk_are_masked(client, kader_miji, family_miji):
    from simpul.registry.models import Person

    push(client, auth(kader_miji), [item("person.create", {
        "household_id": family_miji.pk, "full_name": "Nur Aini", "sex": "F", "birth_date": "1990-05-17",
        "relationship": "famili_lain", "nik": "3576035705900002"})])
    rows, *_ = pull_all(client, auth(kader_miji))
    nur = rows["person"][Person.objects.get(full_name="Nur Aini").pk]
    # mask_nik keeps the region prefix and the last two digits: 3576 + 10 dots + 02.
    assert nur["nik"] == "3576" + "•" * 10 + "02"
    assert rows["household"][family_miji.pk]["kk"] == "3576" + "•" * 10 + "01"
    assert "3576035705900002" not in client.get("/api/v1/sync/pull", **auth(kader_miji)).content.decode()


@pytest.mark.django_db
def test_later_changes_of_the_next_village_never_reach_her(client, kader_miji, kader_meri, posyandu_meri,
                                                          family_miji):
    _rows, _drops, cursor, _ = pull_all(client, auth(kader_miji))
    register_family(kader_meri, posyandu_meri, head="Wahyu Meri", kk="3576030101200003")
    rows, drops, _, _ = pull_all(client, auth(kader_miji), cursor)
    assert rows == {} and drops == []


@pytest.mark.django_db
def test_a_kader_of_another_field_gets_no_health_records(client, posyandu_miji, kader_miji, family_miji):
    from conftest import make_user

    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    assert statuses(push(client, auth(kader_miji), [item("measurement.create", {
        "person_id": aisyah.pk, "measured_on": "2025-02-01", "weight_kg": 8.4})])) == ["created"]
    teacher = make_user("kader.guru", "kader", posyandu=posyandu_miji, fields=["pendidikan"])
    rows, drops, cursor, _ = pull_all(client, auth(teacher))
    assert "measurement" not in rows and len(rows["person"]) == 3
    push(client, auth(kader_miji), [item("measurement.create", {
        "person_id": aisyah.pk, "measured_on": "2025-03-01", "weight_kg": 8.6})])
    rows, drops, _, _ = pull_all(client, auth(teacher), cursor)
    assert rows == {} and drops == []

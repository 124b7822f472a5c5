"""Readiness for national registration: a kader in each of the six fields, and the legal data."""

import datetime as dt

import pytest

from simpul.core.choices import SpmField
from simpul.posyandu.models import BoardMember, Kader
from simpul.posyandu.selectors import posyandu_readiness

SIX = ["kesehatan", "pendidikan", "pekerjaan_umum", "perumahan", "sosial", "trantibumlinmas"]
ON = dt.date(2025, 6, 1)


@pytest.fixture
def complete(posyandu_miji):
    """A posyandu with everything registration asks for, each role held by a different person."""
    posyandu_miji.sk_number, posyandu_miji.sk_date = "188/1/2024", dt.date(2024, 8, 1)
    posyandu_miji.sk_board_number, posyandu_miji.sk_board_date = "188/2/2024", dt.date(2024, 8, 2)
    posyandu_miji.registration_number = "35.76.03.1002.001"
    posyandu_miji.save()
    for i, field in enumerate(SIX):
        Kader.objects.create(posyandu=posyandu_miji, name=f"Kader {i}", fields=[field])
        BoardMember.objects.create(posyandu=posyandu_miji, position="ketua_bidang", field=field, name=f"Ketua {i}")
    for position, name in (("ketua", "Ibu Ketua"), ("sekretaris", "Ibu Sekretaris"), ("bendahara", "Ibu Bendahara")):
        BoardMember.objects.create(posyandu=posyandu_miji, position=position, name=name)
    return posyandu_miji


def test_the_six_field_codes_are_the_ones_checked():
    assert sorted(SpmField.values) == sorted(SIX)


def test_an_empty_posyandu_lacks_everything(posyandu_miji):
    readiness = posyandu_readiness(posyandu_miji, on=ON)
    assert readiness.fields_with_kader == []
    assert sorted(readiness.fields_without_kader) == sorted(SIX)
    assert sorted(readiness.missing_legal) == sorted(
        ["sk_establishment", "sk_board", "board_ketua", "board_sekretaris", "board_bendahara", "registration_number"]
        + [f"field_chair_{f}" for f in SIX])
    assert (readiness.active_kader, readiness.multi_role_names) == (0, [])
    assert not readiness.ready_for_registration


def test_a_complete_posyandu_is_ready(complete):
    readiness = posyandu_readiness(complete, on=ON)
    assert sorted(readiness.fields_with_kader) == sorted(SIX)
    assert (readiness.fields_without_kader, readiness.missing_legal, readiness.multi_role_names) == ([], [], [])
    assert readiness.active_kader == 6
    assert readiness.ready_for_registration


def test_an_sk_number_without_its_date_is_missing(complete):
    complete.sk_board_date = None
    complete.save()
    readiness = posyandu_readiness(complete, on=ON)
    assert readiness.missing_legal == ["sk_board"]
    assert not readiness.ready_for_registration


def test_a_field_whose_only_kader_is_inactive_or_gone_is_uncovered(complete):
    Kader.objects.filter(posyandu=complete, fields=["sosial"]).update(active=False)
    Kader.objects.filter(posyandu=complete, name="Kader 0").update(until=dt.date(2025, 5, 31))
    readiness = posyandu_readiness(complete, on=ON)
    assert sorted(readiness.fields_without_kader) == ["kesehatan", "sosial"]
    assert readiness.active_kader == 4
    assert not readiness.ready_for_registration
    # Before the health kader left she still counted.
    assert "kesehatan" in posyandu_readiness(complete, on=dt.date(2025, 5, 31)).fields_with_kader


def test_a_kader_who_has_not_started_yet_does_not_count(complete):
    Kader.objects.filter(posyandu=complete, name="Kader 0").update(since=dt.date(2025, 7, 1))
    assert posyandu_readiness(complete, on=ON).fields_without_kader == ["kesehatan"]


def test_an_inactive_board_member_leaves_the_position_open(complete):
    BoardMember.objects.filter(posyandu=complete, position="bendahara").update(active=False)
    assert posyandu_readiness(complete, on=ON).missing_legal == ["board_bendahara"]


def test_one_kader_may_cover_several_fields_but_is_flagged(posyandu_miji):
    Kader.objects.create(posyandu=posyandu_miji, name="Sri Wahyuni", fields=["kesehatan", "sosial"])
    Kader.objects.create(posyandu=posyandu_miji, name="Dewi", fields=["pendidikan"])
    readiness = posyandu_readiness(posyandu_miji, on=ON)
    assert sorted(readiness.fields_with_kader) == ["kesehatan", "pendidikan", "sosial"]
    assert readiness.multi_role_names == ["Sri Wahyuni"]


def test_a_board_member_who_is_also_a_kader_is_flagged_as_written(complete):
    # Spacing and case differ between the two rosters; the name is shown as written, not re-cased.
    BoardMember.objects.filter(posyandu=complete, position="ketua").update(name="Siti  McNair")
    Kader.objects.filter(posyandu=complete, name="Kader 0").update(name="SITI McNair")
    Kader.objects.filter(posyandu=complete, name="Kader 1").update(name="Siti McNair")
    readiness = posyandu_readiness(complete, on=ON)
    assert len(readiness.multi_role_names) == 1
    assert readiness.multi_role_names[0] in {"SITI McNair", "Siti McNair"}
    assert readiness.ready_for_registration  # flagged, not refused


def test_the_readiness_of_one_posyandu_ignores_another(complete, posyandu_meri):
    assert posyandu_readiness(posyandu_meri, on=ON).active_kader == 0

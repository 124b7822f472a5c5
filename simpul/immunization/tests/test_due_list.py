"""due_list and immunization_status for hand-worked children on fixed dates.

Every expectation below was worked out by hand from domain.md §3.7 and the documented working ages
(earliest, overdue) in schedule.py — not copied from the code's output.
"""

import pytest

from conftest import MOJOKERTO, make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.core.errors import NotInScope
from simpul.immunization.selectors import due_list, immunization_status
from simpul.immunization.tests.kit import D, add_child, aisyah, give
from simpul.registry.models import Person

DAY = D(2024, 3, 20)  # the posyandu day


def codes(statuses):
    return [s.code for s in statuses]


def by_state(status):
    result = {}
    for s in status.doses:
        result.setdefault(s.state, []).append(s.code)
    return result


@pytest.fixture
def day_children(kader_miji, posyandu_miji, family_miji):
    """Four children of Posyandu Melati Miji on 20 March 2024."""
    # Aisyah, born 15 Jan 2024 (2 months 5 days): HB0, BCG and OPV1 given.
    a = aisyah(family_miji)
    give(kader_miji, a, {"hb0": D(2024, 1, 15), "bcg": D(2024, 2, 10), "opv1": D(2024, 2, 10)})
    # Bima, born 1 Jun 2023 (9 months 19 days): only the birth doses.
    b = add_child(kader_miji, posyandu_miji, "Bima Saputra", D(2023, 6, 1), rt="005")
    give(kader_miji, b, {"hb0": D(2023, 6, 1), "bcg": D(2023, 6, 20), "opv1": D(2023, 6, 20)})
    # Citra, born 10 Mar 2024 (10 days): nothing yet.
    c = add_child(kader_miji, posyandu_miji, "Citra Lestari", D(2024, 3, 10))
    # Fajar, born 1 Jan 2024: up to date, the 2-month doses given on 1 Mar.
    f = add_child(kader_miji, posyandu_miji, "Fajar Nugroho", D(2024, 1, 1))
    give(kader_miji, f, {"hb0": D(2024, 1, 1), "bcg": D(2024, 1, 20), "opv1": D(2024, 1, 20),
                         "dpt_hb_hib1": D(2024, 3, 1), "opv2": D(2024, 3, 1), "rv1": D(2024, 3, 1),
                         "pcv1": D(2024, 3, 1)})
    return {"aisyah": a, "bima": b, "citra": c, "fajar": f}


@pytest.mark.django_db
class TestDueList:
    def test_the_visit_list_of_a_posyandu_day(self, kader_miji, posyandu_miji, day_children):
        rows = due_list(scope_for(kader_miji), posyandu_id=posyandu_miji.pk, on=DAY)
        # Bima first (overdue), then by RW/RT/name: Aisyah and Citra (RT 002), Fajar has nothing due.
        assert [r.person.full_name for r in rows] == ["Bima Saputra", "Aisyah Putri", "Citra Lestari"]
        bima, aisyah_row, citra = rows
        # Bima: the 2-month doses were overdue from 1 Sep 2023, IPV1 from 1 Nov 2023; MR1 due since 1 Mar.
        # DPT-HB-Hib 2/3, OPV3/4, RV2/3, PCV2 are overdue too but wait for the earlier doses; IPV2 waits for IPV1.
        assert codes(bima.overdue) == ["dpt_hb_hib1", "opv2", "rv1", "pcv1", "ipv1"]
        assert codes(bima.due) == ["mr1"]
        assert bima.age_months == 9
        # Aisyah: 2 months on 15 Mar; OPV1 on 10 Feb + 1 month = 10 Mar, so OPV2 too.
        assert codes(aisyah_row.due) == ["dpt_hb_hib1", "opv2", "rv1", "pcv1"]
        assert aisyah_row.overdue == []
        # Citra: HB0 only in the first 7 days (missed on 17 Mar); BCG and OPV1 due until 10 Apr.
        assert codes(citra.due) == ["bcg", "opv1"]
        assert citra.overdue == []

    def test_the_interval_keeps_a_dose_off_the_list(self, kader_miji, posyandu_miji, family_miji):
        # OPV1 given late on 25 Feb: OPV2 only from 25 Mar, the other 2-month doses are due.
        a = aisyah(family_miji)
        give(kader_miji, a, {"hb0": D(2024, 1, 15), "bcg": D(2024, 2, 25), "opv1": D(2024, 2, 25)})
        rows = due_list(scope_for(kader_miji), posyandu_id=posyandu_miji.pk, on=DAY)
        assert codes(rows[0].due) == ["dpt_hb_hib1", "rv1", "pcv1"]
        rows = due_list(scope_for(kader_miji), posyandu_id=posyandu_miji.pk, on=D(2024, 3, 25))
        assert codes(rows[0].due) == ["dpt_hb_hib1", "opv2", "rv1", "pcv1"]

    def test_a_dose_becomes_overdue_one_month_after_its_age(self, kader_miji, posyandu_miji, family_miji):
        a = aisyah(family_miji)
        give(kader_miji, a, {"hb0": D(2024, 1, 15), "bcg": D(2024, 2, 10), "opv1": D(2024, 2, 10)})
        scope = scope_for(kader_miji)
        on_14 = due_list(scope, posyandu_id=posyandu_miji.pk, on=D(2024, 4, 14))[0]
        assert codes(on_14.due) == ["dpt_hb_hib1", "opv2", "rv1", "pcv1"] and on_14.overdue == []
        on_15 = due_list(scope, posyandu_id=posyandu_miji.pk, on=D(2024, 4, 15))[0]
        assert codes(on_15.overdue) == ["dpt_hb_hib1", "opv2", "rv1", "pcv1"] and on_15.due == []

    def test_only_living_children_under_five_of_the_posyandu_count(self, kader_miji, posyandu_miji,
                                                                  posyandu_meri, kader_meri):
        five = add_child(kader_miji, posyandu_miji, "Eko Lima", D(2019, 3, 20))  # exactly 60 months
        add_child(kader_miji, posyandu_miji, "Gita Hampir", D(2019, 3, 21))  # 59 months
        gone = add_child(kader_miji, posyandu_miji, "Hana Pergi", D(2023, 1, 5))
        Person.objects.filter(pk=gone.pk).update(life_status="moved", life_status_date=D(2024, 2, 1))
        dup = add_child(kader_miji, posyandu_miji, "Gita H", D(2019, 3, 21))
        Person.objects.filter(pk=dup.pk).update(duplicate_of=Person.objects.get(full_name="Gita Hampir"))
        add_child(kader_meri, posyandu_meri, "Indah Meri", D(2023, 1, 5))
        names = [r.person.full_name for r in due_list(scope_for(kader_miji), posyandu_id=posyandu_miji.pk, on=DAY)]
        assert names == ["Gita Hampir"]
        assert five.pk

    def test_je_is_listed_only_for_an_endemic_area(self, kader_miji, posyandu_miji):
        child = add_child(kader_miji, posyandu_miji, "Joko Endemik", D(2023, 5, 10))
        give(kader_miji, child, {
            "hb0": D(2023, 5, 10), "bcg": D(2023, 5, 20), "opv1": D(2023, 5, 20),
            "dpt_hb_hib1": D(2023, 7, 10), "opv2": D(2023, 7, 10), "rv1": D(2023, 7, 10), "pcv1": D(2023, 7, 10),
            "dpt_hb_hib2": D(2023, 8, 10), "opv3": D(2023, 8, 10), "rv2": D(2023, 8, 10), "pcv2": D(2023, 8, 10),
            "dpt_hb_hib3": D(2023, 9, 10), "opv4": D(2023, 9, 10), "rv3": D(2023, 9, 10), "ipv1": D(2023, 9, 10),
            "mr1": D(2024, 2, 10), "ipv2": D(2024, 2, 10)})
        scope = scope_for(kader_miji)
        # 10 months on 10 Mar 2024.
        assert due_list(scope, posyandu_id=posyandu_miji.pk, on=DAY) == []
        rows = due_list(scope, posyandu_id=posyandu_miji.pk, on=DAY, je_endemic=True)
        assert codes(rows[0].due) == ["je1"]


@pytest.mark.django_db
class TestStatus:
    def test_aisyah_on_the_posyandu_day(self, day_children):
        status = immunization_status(day_children["aisyah"], DAY)
        states = by_state(status)
        assert states["given"] == ["hb0", "bcg", "opv1"]
        assert states["due"] == ["dpt_hb_hib1", "opv2", "rv1", "pcv1"]
        assert "overdue" not in states and "missed" not in states
        assert len(states["not_yet"]) == 20 - 7  # JE does not apply outside endemic areas
        assert status.complete_for_age is True

    def test_complete_for_age(self, day_children):
        assert immunization_status(day_children["fajar"], DAY).complete_for_age is True
        assert immunization_status(day_children["bima"], DAY).complete_for_age is False
        assert immunization_status(day_children["citra"], DAY).complete_for_age is False  # HB0 missed
        # Aisyah falls behind when the 2-month doses are still missing on 15 Apr.
        assert immunization_status(day_children["aisyah"], D(2024, 4, 15)).complete_for_age is False

    def test_a_dose_given_later_does_not_count_on_an_earlier_date(self, kader_miji, day_children):
        fajar = day_children["fajar"]
        status = immunization_status(fajar, D(2024, 2, 1))
        assert by_state(status)["given"] == ["hb0", "bcg", "opv1"]

    def test_waiting_doses_say_what_they_wait_for(self, day_children):
        status = immunization_status(day_children["bima"], DAY)
        dpt2 = next(s for s in status.doses if s.code == "dpt_hb_hib2")
        assert dpt2.state == "overdue" and not dpt2.can_give and dpt2.waiting_for.code == "dpt_hb_hib1"
        opv2 = next(s for s in status.doses if s.code == "opv2")
        assert opv2.next_on == D(2023, 7, 20)  # OPV1 + 1 month (20 Jul) is later than 6 weeks of age (13 Jul)

    def test_the_boosters_at_18_months(self, kader_miji, posyandu_miji):
        child = add_child(kader_miji, posyandu_miji, "Kevin Booster", D(2022, 1, 10))
        give(kader_miji, child, {
            "hb0": D(2022, 1, 10), "bcg": D(2022, 1, 20), "opv1": D(2022, 1, 20),
            "dpt_hb_hib1": D(2022, 3, 10), "opv2": D(2022, 3, 10), "rv1": D(2022, 3, 10), "pcv1": D(2022, 3, 10),
            "dpt_hb_hib2": D(2022, 4, 10), "opv3": D(2022, 4, 10), "rv2": D(2022, 4, 10), "pcv2": D(2022, 4, 10),
            "dpt_hb_hib3": D(2022, 5, 10), "opv4": D(2022, 5, 10), "rv3": D(2022, 5, 10), "ipv1": D(2022, 5, 10),
            "mr1": D(2022, 10, 10), "ipv2": D(2022, 10, 10), "pcv3": D(2023, 1, 10)})
        on = D(2023, 8, 1)  # 18 months 22 days
        states = by_state(immunization_status(child, on))
        assert states["due"] == ["dpt_hb_hib4", "mr2"]
        assert immunization_status(child, on).complete_for_age is True
        late = immunization_status(child, D(2024, 1, 10))  # 24 months
        assert by_state(late)["overdue"] == ["dpt_hb_hib4", "mr2"] and late.complete_for_age is False


@pytest.mark.django_db
class TestScope:
    def test_the_bidan_of_the_kecamatan_reads_the_list(self, bidan_kranggan, posyandu_miji, day_children):
        rows = due_list(scope_for(bidan_kranggan), posyandu_id=posyandu_miji.pk, on=DAY)
        assert len(rows) == 3

    def test_the_dinkes_officer_reads_the_list(self, posyandu_miji, day_children):
        dinkes = make_user("opd.dinkes", Role.OPD, region=MOJOKERTO, fields=["kesehatan"])
        assert len(due_list(scope_for(dinkes), posyandu_id=posyandu_miji.pk, on=DAY)) == 3

    @pytest.mark.parametrize("who", ["kader_meri", "kader_jepara", "opd_dinsos", "camat_kranggan", "pembina_mojokerto",
                                     "lurah_miji", "admin_user"])
    def test_others_get_not_found(self, request, who, posyandu_miji, day_children):
        with pytest.raises(NotInScope):
            due_list(scope_for(request.getfixturevalue(who)), posyandu_id=posyandu_miji.pk, on=DAY)

    def test_a_kader_without_the_health_field_gets_not_found(self, posyandu_miji, day_children):
        kader = make_user("kader.pendidikan", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
        with pytest.raises(NotInScope):
            due_list(scope_for(kader), posyandu_id=posyandu_miji.pk, on=DAY)

    def test_an_unknown_posyandu_is_not_found(self, kader_miji):
        with pytest.raises(NotInScope):
            due_list(scope_for(kader_miji), posyandu_id=999999, on=DAY)


@pytest.mark.django_db
def test_rotavirus_is_missed_not_overdue_after_24_months(family_miji):
    from simpul.immunization.rules import State

    child = family_miji.members.get(full_name="Aisyah Putri")  # born 2024-01-15, no doses recorded
    at_20_months = {s.dose.code: s.state for s in immunization_status(child, D(2025, 9, 15)).doses}
    at_25_months = {s.dose.code: s.state for s in immunization_status(child, D(2026, 2, 20)).doses}
    assert at_20_months["rv1"] == State.OVERDUE
    assert at_25_months["rv1"] == State.MISSED
    assert at_25_months["pcv1"] == State.OVERDUE  # other antigens are still caught up

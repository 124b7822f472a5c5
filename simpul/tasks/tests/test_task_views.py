"""Task pages: the kader's list and home, the attendance list, dismissing, and the supervisor's counts.

Tasks are written by hand (``make_task``) so every count below is known: in Posyandu Melati Miji, Budi and
Siti have open health tasks (Siti's overdue), Aisyah an education task, one task was served and one refused;
Posyandu Mawar Meri and the Jepara posyandu have one open health task each.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_user, register_family
from simpul.accounts.scope import scope_for
from simpul.audit.models import AccessLog
from simpul.serviceday.tests.kit import open_day
from simpul.tasks import selectors
from simpul.tasks.models import Task
from simpul.tasks.tests.kit import TODAY, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(family_miji, kader_meri, posyandu_meri, family_jepara):
    people = {p.full_name.split()[0]: p for p in family_miji.members.all()}
    meri = register_family(kader_meri, posyandu_meri, head="Joko Susilo", kk="3576030101200003")
    return {
        "budi": make_task(people["Budi"]),
        "siti": make_task(people["Siti"], due_on=dt.date(2026, 11, 1)),  # overdue on 23 Nov
        "aisyah": make_task(people["Aisyah"], "dik.paud", due_on=None,
                            reasons=[{"code": "education_unknown", "detail": {}, "due_on": None}]),
        "served": make_task(people["Budi"], "kes.usia_lanjut", status="done", closed_because="served"),
        "refused": make_task(people["Siti"], "kes.usia_lanjut", status="dismissed", dismiss_reason="refused"),
        "meri": make_task(meri.members.get(full_name="Joko Susilo")),
        "jepara": make_task(family_jepara.members.get(full_name="Slamet Riyadi")),
    }


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_kader_sees_her_posyandus_open_tasks_with_names_and_reasons(client, kader_miji, tasks):
    status, body = page(client, kader_miji, "/tugas/")
    assert status == 200
    for name in ("Budi Santoso", "Siti Aminah", "Aisyah Putri"):
        assert name in body
    assert f"/warga/orang/{tasks['budi'].person_id}/" in body  # links to the person's page
    assert f"/tugas/{tasks['budi'].pk}/tutup/" in body
    assert "Joko Susilo" not in body and "Slamet Riyadi" not in body
    assert AccessLog.objects.filter(actor=kader_miji, object_type="tasks.list").exists()


def test_the_list_groups_by_due_date(kader_miji, tasks):
    rows = selectors.rows(selectors.tasks_visible(scope_for(kader_miji)), today=TODAY)
    groups = selectors.grouped(rows, today=TODAY)
    # Siti due 1 Nov < 23 Nov: overdue; Budi due 31 Dec: later; Aisyah: no date. No task falls due in November.
    assert [(g.code, [r.name for _kind, rs in g.kinds for r in rs]) for g in groups] == [
        ("overdue", ["Siti Aminah"]), ("later", ["Budi Santoso"]), ("none", ["Aisyah Putri"])]


def test_the_list_filters_by_indicator_and_field(client, kader_miji, tasks):
    _status, body = page(client, kader_miji, "/tugas/?indikator=dik.paud")
    assert "Aisyah Putri" in body and "Budi Santoso" not in body
    _status, body = page(client, kader_miji, "/tugas/?bidang=kesehatan")
    assert "Budi Santoso" in body and "Aisyah Putri" not in body


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara"])
def test_other_kader_never_see_miji_tasks(client, request, tasks, persona):
    status, body = page(client, request.getfixturevalue(persona), "/tugas/")
    assert status == 200
    assert "Budi Santoso" not in body and "Siti Aminah" not in body
    status, _body = page(client, request.getfixturevalue(persona), f"/tugas/{tasks['budi'].pk}/tutup/")
    assert status == 404


def test_a_kader_of_another_field_sees_only_her_fields_tasks(client, posyandu_miji, tasks):
    teacher = make_user("kader.guru", "kader", posyandu=posyandu_miji, fields=["pendidikan"])
    _status, body = page(client, teacher, "/tugas/")
    assert "Aisyah Putri" in body and "Budi Santoso" not in body


@pytest.mark.parametrize("persona", ["camat_kranggan", "pembina_mojokerto", "opd_dinsos"])
def test_roles_without_names_may_not_open_the_list(client, request, tasks, persona):
    status, body = page(client, request.getfixturevalue(persona), "/tugas/")
    assert status == 403
    assert "Budi Santoso" not in body


def test_camat_sees_counts_per_posyandu_and_no_names(client, camat_kranggan, tasks):
    status, body = page(client, camat_kranggan, "/tugas/rekap/")
    assert status == 200
    assert "Posyandu Melati Miji" in body and "Posyandu Mawar Meri" in body
    assert "Posyandu Kenanga Jepara" not in body
    for name in ("Budi Santoso", "Siti Aminah", "Joko Susilo"):
        assert name not in body
    assert "/tugas/?posyandu=" not in body  # no link to names
    rows = {r.posyandu.name: r for r in selectors.summary(scope_for(camat_kranggan), year=2026, today=TODAY).rows}
    miji = rows["Posyandu Melati Miji"]
    # Miji: open Budi, Siti, Aisyah = 3 (Siti overdue = 1); served 1; dismissed 1, of which refused 1.
    assert (miji.open, miji.overdue, miji.served, miji.left, miji.dismissed, miji.refused) == (3, 1, 1, 0, 1, 1)
    assert miji.kader == ["kader.miji"]
    assert rows["Posyandu Mawar Meri"].open == 1


def test_bidan_counts_health_tasks_only(bidan_kranggan, tasks):
    rows = {r.posyandu.name: r for r in selectors.summary(scope_for(bidan_kranggan), year=2026, today=TODAY).rows}
    # Health tasks of Miji: Budi and Siti open (2), Budi's served (1), Siti's refused (1); Aisyah's is education.
    miji = rows["Posyandu Melati Miji"]
    assert (miji.open, miji.served, miji.dismissed) == (2, 1, 1)
    assert miji.names_visible  # the bidan may open the named health tasks of her kecamatan


def test_an_agency_officer_counts_only_its_own_field(client, opd_dinsos, tasks):
    status, body = page(client, opd_dinsos, "/tugas/rekap/")
    assert status == 200 and "Budi Santoso" not in body
    result = selectors.summary(scope_for(opd_dinsos), year=2026, today=TODAY)
    # No social-affairs task exists (those indicators are worked through referrals): zero everywhere.
    assert sum(r.open + r.done + r.dismissed for r in result.rows) == 0
    assert result.rows  # the posyandu of Kota Mojokerto are listed, with zeros


def test_kader_jepara_summary_is_her_posyandu_only(kader_jepara, tasks):
    rows = selectors.summary(scope_for(kader_jepara), year=2026, today=TODAY).rows
    assert [(r.posyandu.name, r.open) for r in rows] == [("Posyandu Kenanga Jepara", 1)]


def test_the_summary_lists_dismissals_per_kader(kader_miji, camat_kranggan, tasks):
    Task.objects.filter(pk=tasks["refused"].pk).update(dismissed_by=kader_miji)
    result = selectors.summary(scope_for(camat_kranggan), year=2026, today=TODAY)
    assert [(k.name, k.posyandu, k.dismissed, k.refused) for k in result.kader] == [
        ("kader.miji", "Posyandu Melati Miji", 1, 1)]


def test_home_shows_the_count_and_the_most_urgent(client, kader_miji, camat_kranggan, tasks):
    _status, body = page(client, kader_miji, "/")
    summary = selectors.home_tasks(scope_for(kader_miji), today=TODAY)
    assert (summary.count, summary.overdue) == (3, 1)
    assert [r.name for r in summary.urgent] == ["Siti Aminah", "Budi Santoso", "Aisyah Putri"]
    assert "Siti Aminah" in body and "/tugas/" in body
    _status, body = page(client, camat_kranggan, "/")
    assert "Siti Aminah" not in body
    assert selectors.home_tasks(scope_for(camat_kranggan)) is None


def test_home_shows_at_most_five(kader_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    for code in ("kes.usia_produktif", "kes.usia_lanjut", "kes.hipertensi", "kes.diabetes", "dik.dasar",
                 "dik.kesetaraan"):
        make_task(budi, code)
    summary = selectors.home_tasks(scope_for(kader_miji), today=TODAY)
    assert (summary.count, len(summary.urgent)) == (6, 5)


def test_the_attendance_list_shows_each_attendees_open_tasks(client, kader_miji, posyandu_miji, tasks):
    day = open_day(kader_miji, posyandu_miji, held_on=TODAY)
    _status, body = page(client, kader_miji, f"/hari-buka/{day.pk}/daftar/")
    by_person = selectors.open_by_person(scope_for(kader_miji), posyandu_id=posyandu_miji.pk,
                                         person_ids=[tasks["budi"].person_id, tasks["siti"].person_id])
    assert {pk: [r.task.indicator for r in rows] for pk, rows in by_person.items()} == {
        tasks["budi"].person_id: ["kes.usia_produktif"], tasks["siti"].person_id: ["kes.usia_produktif"]}
    assert "tasks-inline" in body


def test_dismissing_through_the_page(client, kader_miji, tasks):
    client.force_login(kader_miji)
    url = f"/tugas/{tasks['budi'].pk}/tutup/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "other"})  # other needs a note
    assert response.status_code == 400
    assert Task.objects.get(pk=tasks["budi"].pk).status == "open"
    response = client.post(url, {"reason": "refused", "note": "Menolak"})
    assert response.status_code == 302 and response["Location"] == "/tugas/"
    task = Task.objects.get(pk=tasks["budi"].pk)
    assert (task.status, task.dismiss_reason, task.dismiss_note) == ("dismissed", "refused", "Menolak")


def test_the_dismiss_page_says_a_refusal_keeps_the_person_counted(client, kader_miji, tasks):
    _status, body = page(client, kader_miji, f"/tugas/{tasks['budi'].pk}/tutup/")
    assert "100%" in body


def test_lurah_sees_names_but_may_not_dismiss(client, lurah_miji, tasks):
    status, body = page(client, lurah_miji, "/tugas/")
    # The lurah holds VIEW_PERSON but not VIEW_HEALTH: the education task only.
    assert status == 200 and "Aisyah Putri" in body and "Budi Santoso" not in body
    assert "/tutup/" not in body
    status, _body = page(client, lurah_miji, f"/tugas/{tasks['aisyah'].pk}/tutup/")
    assert status == 403

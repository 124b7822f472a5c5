"""Who may switch practice on, what the switch changes on every page, who may reset a workspace, and what
stays closed in practice (the field app and its sync), tested with personas of both regencies."""

import re

import pytest

from conftest import bearer, make_user
from simpul.accounts.roles import Role
from simpul.audit.models import AuditEntry
from simpul.practice import workspace
from simpul.practice.middleware import SESSION_KEY
from simpul.practice.models import Practising, Workspace
from simpul.practice.tests.kit import inside, start
from simpul.registry.models import Household, Person
from simpul.serviceday.models import ServiceDay

NO_SWITCH = [
    "lurah_miji",
    "camat_kranggan",
    "bidan_kranggan",
    "pembina_mojokerto",
    "opd_dinsos",
    "admin_user",
]
TITLE = re.compile(r"<title>\[(LATIHAN|PRACTICE)\] ")


@pytest.fixture
def pengurus_miji(posyandu_miji):
    return make_user("pengurus.miji", Role.PENGURUS, posyandu=posyandu_miji)


@pytest.mark.parametrize("persona", ["kader_miji", "kader_meri", "kader_jepara", "pengurus_miji"])
def test_people_with_a_posyandu_grant_see_the_switch(db, client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert b"data-practice-switch" in client.get("/").content
    assert client.get("/latihan/").status_code == 200


@pytest.mark.parametrize("persona", NO_SWITCH)
def test_area_roles_see_no_switch_and_cannot_start(client, persona, request, posyandu_miji, practice_dir):
    client.force_login(request.getfixturevalue(persona))
    assert b"data-practice-switch" not in client.get("/").content
    assert client.get("/latihan/").status_code == 403
    assert client.post("/latihan/mulai/", {"posyandu": posyandu_miji.pk}).status_code == 404
    assert not Workspace.objects.exists()


def test_switching_on_and_off_is_audited_and_marks_every_page(
    client, kader_miji, posyandu_miji, family_miji, practice_dir
):
    start(client, kader_miji, posyandu_miji)
    assert client.session[SESSION_KEY] == posyandu_miji.pk
    started = AuditEntry.objects.get(action="practice.mode.started")
    assert started.actor == kader_miji and started.region_code == posyandu_miji.desa_id
    with inside(posyandu_miji):
        person = Person.objects.filter(posyandu_id=posyandu_miji.pk).order_by("pk").first()
        day = ServiceDay.objects.filter(posyandu_id=posyandu_miji.pk).order_by("-held_on").first()
    pages = [
        "/",
        "/warga/keluarga/",
        f"/warga/keluarga/{person.household_id}/",
        f"/warga/orang/{person.pk}/",
        "/posyandu/",
        f"/posyandu/{posyandu_miji.pk}/",
        f"/hari-buka/posyandu/{posyandu_miji.pk}/",
        f"/hari-buka/{day.pk}/",
        "/rujukan/",
        "/rujukan/baru/",
        "/spm/",
        "/laporan/",
        "/tugas/",
        "/notifikasi/",
        "/wilayah/",
        f"/imunisasi/posyandu/{posyandu_miji.pk}/jadwal/",
        "/latihan/",
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert 'id="practice-banner"' in html and 'class="practice-mode"' in html, url
        assert TITLE.search(html), url
    households = client.get("/warga/keluarga/").content.decode()
    assert "Budi Santoso" not in households  # the real family is not in the workspace
    assert person.full_name in households

    assert client.post("/latihan/selesai/").status_code == 302
    assert SESSION_KEY not in client.session
    assert AuditEntry.objects.filter(action="practice.mode.stopped", actor=kader_miji).count() == 1
    assert not Practising.objects.exists()
    real = client.get("/warga/keluarga/").content.decode()
    assert "Budi Santoso" in real and 'id="practice-banner"' not in real and person.full_name not in real


def test_pengurus_resets_the_workspace_others_are_refused(
    client, kader_miji, pengurus_miji, kader_meri, lurah_miji, posyandu_miji, practice_dir
):
    start(client, kader_miji, posyandu_miji)
    with inside(posyandu_miji):
        Household.objects.filter(posyandu_id=posyandu_miji.pk).update(address="Alamat latihan")
    assert client.post(f"/latihan/ulang/{posyandu_miji.pk}/").status_code == 403  # a kader: no
    for outsider in (kader_meri, lurah_miji):
        client.force_login(outsider)
        assert client.post(f"/latihan/ulang/{posyandu_miji.pk}/").status_code == 404
    assert Workspace.objects.get().generation == 1

    client.force_login(pengurus_miji)
    page = client.get("/latihan/").content.decode()
    assert f'action="/latihan/ulang/{posyandu_miji.pk}/"' in page
    assert client.post(f"/latihan/ulang/{posyandu_miji.pk}/").status_code == 302
    assert Workspace.objects.get().generation == 2
    assert AuditEntry.objects.filter(action="practice.workspace.reset", actor=pengurus_miji).count() == 1
    assert not workspace.database_path(posyandu_miji.pk, 1).exists()
    with inside(posyandu_miji):
        assert not Household.objects.filter(address="Alamat latihan").exists()
        assert Household.objects.exists()
        # kader.miji is still practising, now in the fresh file with her grant
        assert type(kader_miji).objects.filter(pk=kader_miji.pk, memberships__role="kader").exists()
    client.force_login(kader_miji)
    session = client.session
    session[SESSION_KEY] = posyandu_miji.pk  # her switch, as her own session still holds it
    session.save()
    assert b'id="practice-banner"' in client.get("/").content


def test_a_persona_outside_the_posyandu_cannot_enter_its_workspace(
    client, kader_miji, kader_meri, kader_jepara, posyandu_miji, practice_dir
):
    start(client, kader_miji, posyandu_miji)
    for outsider in (kader_meri, kader_jepara):
        client.force_login(outsider)
        assert client.post("/latihan/mulai/", {"posyandu": posyandu_miji.pk}).status_code == 404
        session = client.session
        session[SESSION_KEY] = posyandu_miji.pk  # a forged switch
        session.save()
        page = client.get("/")
        assert b'id="practice-banner"' not in page.content
        assert SESSION_KEY not in client.session
    assert list(Practising.objects.values_list("user_id", flat=True)) == [kader_miji.pk]


def test_a_revoked_grant_ends_practice(client, kader_miji, posyandu_miji, practice_dir):
    start(client, kader_miji, posyandu_miji)
    kader_miji.memberships.update(active=False)
    page = client.get("/latihan/")  # an ordinary page of the real database now
    assert page.status_code == 403
    assert SESSION_KEY not in client.session


def test_field_app_and_sync_are_refused_in_practice(client, kader_miji, posyandu_miji, practice_dir):
    start(client, kader_miji, posyandu_miji)
    shell = client.get("/lapangan/")
    assert shell.status_code == 409 and b'id="practice-banner"' in shell.content
    pull = client.get("/api/v1/sync/pull")
    assert pull.status_code == 409 and pull.json()["code"] == "practice_mode"
    push = client.post("/api/v1/sync/push", data="{}", content_type="application/json")
    assert push.status_code == 409
    client.post("/latihan/selesai/")
    assert client.get("/lapangan/").status_code == 200


def test_token_clients_are_never_in_practice(client, kader_miji, posyandu_miji, family_miji, practice_dir):
    start(client, kader_miji, posyandu_miji)
    in_practice = client.get("/api/v1/households").content.decode()
    assert "Budi Santoso" not in in_practice
    # The same browser session, but a bearer token: the API client's answer comes from the real records.
    real = client.get("/api/v1/households", **bearer(kader_miji))
    assert real.status_code == 200 and "Budi Santoso" in real.content.decode()
    assert SESSION_KEY in client.session


def test_logging_out_ends_practice(client, kader_miji, posyandu_miji, practice_dir):
    start(client, kader_miji, posyandu_miji)
    assert client.post("/akun/keluar/").status_code == 302
    assert not Practising.objects.exists()
    assert AuditEntry.objects.filter(action="practice.mode.stopped", actor=kader_miji).count() == 1
    client.force_login(kader_miji)
    assert b'id="practice-banner"' not in client.get("/").content

"""The field app's pages: who gets the shell and the device key, the manifest, the worker's headers."""

import json

import pytest

from simpul.fieldapp.views import SESSION_KEY


@pytest.mark.django_db
def test_a_kader_gets_a_key_bound_to_her_session(client, kader_miji):
    client.force_login(kader_miji)
    first = client.get("/lapangan/kunci/")
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    body = first.json()
    assert len(__import__("base64").b64decode(body["key"])) == 32  # AES-256
    assert body["csrf_token"] and body["key_id"]
    # the same session, the same key; the key lives in the session only
    assert client.get("/lapangan/kunci/").json()["key"] == body["key"]
    assert client.session[SESSION_KEY] == body["key"]
    # a new login is a new session and a new key; the old one is gone with the old session
    client.logout()
    client.force_login(kader_miji)
    assert client.get("/lapangan/kunci/").json()["key_id"] != body["key_id"]


@pytest.mark.django_db
def test_no_key_without_a_login_or_for_other_roles(client, lurah_miji, bidan_kranggan):
    anonymous = client.get("/lapangan/kunci/")
    assert anonymous.status_code == 403 and "key" not in anonymous.json()
    for user in (lurah_miji, bidan_kranggan):
        client.force_login(user)
        refused = client.get("/lapangan/kunci/")
        assert refused.status_code == 403 and "key" not in refused.json()
        assert client.get("/lapangan/").status_code == 403


@pytest.mark.django_db
def test_the_shell_holds_nothing_personal(client, kader_miji, family_miji):
    client.force_login(kader_miji)
    page = client.get("/lapangan/")
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-cache"
    # cached by the worker for offline use: no names, no user, no CSRF token
    assert "Budi Santoso" not in html and "kader.miji" not in html
    assert "csrfmiddlewaretoken" not in html and "csrftoken" not in client.cookies  # the token comes with the key
    assert 'rel="manifest"' in html and "fieldapp/app.js" in html


@pytest.mark.django_db
def test_the_anonymous_shell_goes_to_login(client):
    response = client.get("/lapangan/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_the_manifest_makes_it_installable(client):
    response = client.get("/lapangan/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/lapangan/" and data["scope"] == "/lapangan/" and data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_worker_is_served_from_the_root_and_never_caches_the_api(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'const SCOPE = "/lapangan/"' in script
    assert '"/api/"' in script and '"/lapangan/kunci/"' in script
    precache = json.loads(script.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    assert "/static/fieldapp/who-lms.json" in precache and "/static/fieldapp/app.js" in precache


@pytest.mark.django_db
def test_logout_clears_site_data_and_lands_on_the_wiping_page(client, kader_miji):
    client.force_login(kader_miji)
    response = client.post("/akun/keluar/")
    assert response.status_code == 302 and response["Location"] == "/lapangan/keluar/"
    assert response["Clear-Site-Data"] == '"storage"'
    page = client.get("/lapangan/keluar/")
    assert page.status_code == 200 and b"indexedDB.deleteDatabase" in page.content


@pytest.mark.django_db
def test_a_logged_in_user_is_not_wiped_by_a_link(client, kader_miji):
    client.force_login(kader_miji)
    response = client.get("/lapangan/keluar/")
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_the_shell_carries_the_reference_data_the_phone_needs_offline(client, kader_miji):
    from simpul.immunization import schedule

    client.force_login(kader_miji)
    html = client.get("/lapangan/").content.decode()
    start = html.index('id="fieldapp-config"')
    config = json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])
    reference = config["reference"]
    assert [d["code"] for d in reference["doses"]] == list(schedule.CODES)
    assert reference["doses"][3]["recommended"] == [2, 0] and reference["doses"][0]["latest"] == [0, 7]
    assert {"prk_rtlh", "kes_rujukan"} <= {c["code"] for c in reference["categories"]}
    assert set(reference["services"]) == {"vitamin_a", "iron_tablets", "pmt", "deworming", "kb", "counselling"}
    assert set(reference["photo_types"]) == {"photo", "house_photo", "site_photo"}
    assert config["urls"]["photo"] == "/api/v1/sync/photo"
    # every script of the app is precached by the worker, so the day and need screens open offline too
    worker = client.get("/sw.js").content.decode()
    for name in ("schedule.js", "day.js", "need.js", "photos.js"):
        assert f"fieldapp/{name}" in worker

from unittest import mock

from django.db import connections


def test_it_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_answers_503_when_the_database_does_not(client, db, tmp_path):
    # A real connection to a database that cannot be reached (no mock of the database itself):
    # SQLite in a directory that does not exist, or PostgreSQL on a closed port.
    broken = connections.create_connection("default")
    if broken.vendor == "sqlite":
        broken.settings_dict = {**broken.settings_dict, "NAME": str(tmp_path / "missing" / "db.sqlite3")}
    else:
        broken.settings_dict = {**broken.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}
    with mock.patch("simpul.core.views.connection", broken):
        response = client.get("/healthz")
    broken.close()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}

"""The notifications page: a user sees and opens only their own; opening marks read and follows only a
path inside Simpul; the menu shows the unread count."""

from __future__ import annotations

import datetime as dt

import pytest

from simpul.notifications.models import Notification

pytestmark = pytest.mark.django_db

T = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def note(user, subject, *, minutes=0, link="/notifikasi/", read=False):
    at = T + dt.timedelta(minutes=minutes)
    return Notification.objects.create(user=user, kind="referral.recorded", subject=subject, link=link,
                                       created_at=at, read_at=at if read else None)


def test_the_list_shows_only_my_notifications_newest_first(client, lurah_miji, kader_meri):
    note(lurah_miji, "PRK-A: rujukan lama", minutes=0, read=True)
    note(lurah_miji, "PRK-B: rujukan baru", minutes=5)
    note(kader_meri, "PRK-MERI: bukan untuk lurah", minutes=10)
    client.force_login(lurah_miji)
    response = client.get("/notifikasi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "PRK-MERI" not in html
    assert html.index("PRK-B: rujukan baru") < html.index("PRK-A: rujukan lama")
    assert [n.subject for n in response.context["page"]] == ["PRK-B: rujukan baru", "PRK-A: rujukan lama"]
    assert html.count('data-unread="1"') == 1  # only the new one is marked unread
    assert response.context["notifications_unread"] == 1
    assert "data-unread-count>1<" in html  # the menu badge


def test_the_menu_has_no_badge_when_all_are_read(client, lurah_miji):
    note(lurah_miji, "PRK-A", read=True)
    client.force_login(lurah_miji)
    html = client.get("/").content.decode()
    assert 'href="/notifikasi/"' in html
    assert "data-unread-count" not in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, lurah_miji):
    mine = note(lurah_miji, "PRK-A", link="/wilayah/3576031002/")
    other = note(lurah_miji, "PRK-B")
    client.force_login(lurah_miji)
    response = client.get(f"/notifikasi/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/wilayah/3576031002/"
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None


@pytest.mark.parametrize("link", ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example",
                                  "javascript:alert(1)", "/tidak-ada-halaman-ini/", ""])
def test_a_link_outside_simpul_is_never_followed(client, lurah_miji, link):
    mine = note(lurah_miji, "PRK-A", link=link)
    client.force_login(lurah_miji)
    response = client.get(f"/notifikasi/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/notifikasi/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_another_users_notification_is_not_found_and_stays_unread(client, lurah_miji, kader_meri, opd_dinsos):
    theirs = note(kader_meri, "PRK-MERI", link="/wilayah/")
    for outsider in (lurah_miji, opd_dinsos):
        client.force_login(outsider)
        assert client.get(f"/notifikasi/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_my_own(client, lurah_miji, kader_meri):
    mine = [note(lurah_miji, "PRK-A"), note(lurah_miji, "PRK-B")]
    theirs = note(kader_meri, "PRK-MERI")
    client.force_login(lurah_miji)
    assert client.get("/notifikasi/baca-semua/").status_code == 405  # a GET changes nothing
    assert Notification.objects.filter(read_at__isnull=True).count() == 3
    response = client.post("/notifikasi/baca-semua/")
    assert response.status_code == 302 and response["Location"] == "/notifikasi/"
    assert all(Notification.objects.get(pk=n.pk).read_at is not None for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_a_visitor_must_log_in(client, lurah_miji):
    mine = note(lurah_miji, "PRK-A")
    for url in ("/notifikasi/", f"/notifikasi/{mine.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/" in response["Location"]
    assert client.post("/notifikasi/baca-semua/").status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is None

"""Galleries per desa and per kab/kota: shareable photos only, scoped by region, paginated.

Who must not see: a kader of another posyandu (its private photos, or anything outside her posyandu), the
other kab/kota, and roles that do not oversee posyandu (OPD, admin)."""

import datetime as dt

import pytest
from django.utils import timezone

from simpul.activities.services import TagInput
from simpul.activities.tests.kit import phone_photo, record

pytestmark = pytest.mark.django_db


def photo_urls(body: str) -> set[str]:
    return {
        part.split("?")[0].split('"')[0]
        for part in body.split('src="')[1:]
        if part.startswith("/kegiatan/foto/")
    }


@pytest.fixture
def photos(kader_miji, kader_meri, kader_jepara, posyandu_miji, posyandu_meri, posyandu_jepara):
    now = timezone.now()
    shared, private = TagInput(share_requested=True), TagInput(share_requested=True, untagged_children=True)
    made = {}
    for key, kader, posyandu, tags in [
        ("miji", kader_miji, posyandu_miji, shared),
        ("miji_private", kader_miji, posyandu_miji, private),
        ("meri", kader_meri, posyandu_meri, shared),
        ("jepara", kader_jepara, posyandu_jepara, shared),
    ]:
        activity = record(
            kader, posyandu, photos=[phone_photo(64, 48)], tags=tags, now=now, held_on=timezone.localdate()
        )
        made[key] = f"/kegiatan/foto/{activity.photos.get().pk}/"
    return made


@pytest.mark.parametrize(
    "persona, url, expected",
    [
        ("pembina_mojokerto", "/kegiatan/galeri/", {"miji", "meri"}),
        ("pembina_mojokerto", "/kegiatan/galeri/3576/", {"miji", "meri"}),
        ("pembina_mojokerto", "/kegiatan/galeri/3576031003/", {"meri"}),
        ("camat_kranggan", "/kegiatan/galeri/", {"miji", "meri"}),
        ("lurah_miji", "/kegiatan/galeri/", {"miji"}),
        ("lurah_miji", "/kegiatan/galeri/3576/", {"miji"}),
        ("kader_miji", "/kegiatan/galeri/", {"miji"}),
        ("kader_meri", "/kegiatan/galeri/", {"meri"}),
        ("kader_jepara", "/kegiatan/galeri/", {"jepara"}),
    ],
)
def test_the_gallery_shows_shareable_photos_of_the_area_only(client, request, photos, persona, url, expected):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 200
    assert photo_urls(response.content.decode()) == {photos[key] for key in expected}


@pytest.mark.parametrize(
    "persona, url",
    [
        ("lurah_miji", "/kegiatan/galeri/3576031003/"),  # the neighbouring kelurahan
        ("pembina_mojokerto", "/kegiatan/galeri/3320/"),  # the other kab/kota
        ("kader_jepara", "/kegiatan/galeri/3576/"),
        ("pembina_mojokerto", "/kegiatan/galeri/99/"),  # no such region
        ("pembina_mojokerto", "/kegiatan/galeri/abc/"),
    ],
)
def test_a_region_outside_the_users_area_is_not_found(client, request, photos, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 404


def test_opd_and_admin_have_no_gallery(client, photos, opd_dinsos, admin_user):
    for user in (opd_dinsos, admin_user):
        client.force_login(user)
        assert client.get("/kegiatan/galeri/").status_code == 403


def test_a_kader_of_another_posyandu_cannot_open_private_or_shared_photos(
    client, photos, kader_meri, kader_jepara
):
    for outsider in (kader_meri, kader_jepara):
        client.force_login(outsider)
        assert client.get(photos["miji_private"]).status_code == 404
        assert client.get(photos["miji"]).status_code == 404


def test_the_gallery_is_paginated_newest_first(client, kader_miji, posyandu_miji, pembina_mojokerto):
    now = timezone.now()
    today = timezone.localdate()
    for days_ago, count in [(3, 10), (2, 10), (1, 6)]:
        record(
            kader_miji,
            posyandu_miji,
            photos=[phone_photo(32, 24)] * count,
            now=now,
            tags=TagInput(share_requested=True),
            held_on=today - dt.timedelta(days=days_ago),
        )
    client.force_login(pembina_mojokerto)
    first = client.get("/kegiatan/galeri/")
    second = client.get("/kegiatan/galeri/?page=2")
    assert len(first.context["page"].object_list) == 24 and len(second.context["page"].object_list) == 2
    dates = [p.activity.held_on for p in first.context["page"].object_list]
    assert dates == sorted(dates, reverse=True) and dates[0] == today - dt.timedelta(days=1)
    assert {p.activity.held_on for p in second.context["page"].object_list} == {today - dt.timedelta(days=3)}


def test_the_gallery_links_each_desa_gallery_with_its_count(client, photos, pembina_mojokerto):
    client.force_login(pembina_mojokerto)
    body = client.get("/kegiatan/galeri/").content.decode()
    assert 'href="/kegiatan/galeri/3576031002/">Miji (1)' in body
    assert 'href="/kegiatan/galeri/3576031003/">Meri (1)' in body

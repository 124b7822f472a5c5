"""In a real browser (Debian chromium, a 360 px phone): kader.miji logs a Jumat Berkah distribution with a
photo from the phone, marks it for sharing, and downloads the share card; a second photo with a child
who has no publikasi consent is kept private and she is told why."""

import io

import pytest
from PIL import Image

from conftest import MIJI, log_in, make_posyandu, make_user, register_family
from simpul.accounts.roles import Role
from simpul.activities.models import ActivityLog
from simpul.activities.tests.kit import GPS_IFD, phone_photo

pytestmark = pytest.mark.browser


def test_kader_logs_an_activity_with_a_photo_and_downloads_the_share_card(
    browser_regions, live_server, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    posyandu = make_posyandu(MIJI, "Posyandu Melati Miji")
    kader = make_user("kader.miji", Role.KADER, posyandu=posyandu)
    family = register_family(kader, posyandu)
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 740})

    log_in(page, base, "kader.miji")
    page.click("nav a[href='/kegiatan/']")
    page.click(f"a[href='/kegiatan/baru/?posyandu={posyandu.pk}']")
    page.check("input[name=kind][value=community_action]")
    page.check("input[name=fields][value=sosial]")
    page.fill("#id_summary", "Jumat Berkah: pembagian paket beras untuk lansia yang tinggal sendiri")
    page.fill("#id_served_adults", "2")
    page.fill("#id_served_elderly", "15")
    page.set_input_files(
        "#id_photos",
        files=[{"name": "IMG_20261120.jpg", "mimeType": "image/jpeg", "buffer": phone_photo(2400, 1800)}],
    )
    page.check("#id_share_requested")
    page.click("#activity-form button[type=submit]")
    activity = ActivityLog.objects.get()
    page.wait_for_url(f"{base}/kegiatan/{activity.pk}/")
    assert activity.people_served == 17 and activity.photos.get().share_requested

    with page.expect_download() as info:
        page.click("#card-download")
    download = info.value
    assert download.suggested_filename == f"kegiatan-posyandu-melati-miji-{activity.held_on.isoformat()}.png"
    card = Image.open(download.path())
    assert card.format == "PNG" and card.size == (1080, 1080) and not card.info
    # The stored photo was scaled down and lost its GPS position on the way.
    with activity.photos.get().file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.size == (1600, 1200) and not stored.getexif().get_ifd(GPS_IFD)

    # A photo with Aisyah, who has no publikasi consent: kept private, and the page says why.
    child = family.members.get(full_name="Aisyah Putri")
    page.set_input_files(
        "form[action$='/foto/'] input[type=file]",
        files=[{"name": "IMG_2.jpg", "mimeType": "image/jpeg", "buffer": phone_photo(800, 600)}],
    )
    page.check(f"form[action$='/foto/'] input[name=people][value='{child.pk}']")
    page.check("form[action$='/foto/'] input[name=share_requested]")
    page.click("form[action$='/foto/'] button[type=submit]")
    page.wait_for_url(f"{base}/kegiatan/{activity.pk}/")
    assert "Aisyah Putri" in page.inner_text(".messages")
    assert activity.photos.count() == 2

"""attachment_add and the file checks of recording: type from the bytes, size, who may add, and nothing half-written."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from django.template.defaultfilters import filesizeformat
from PIL import Image

from conftest import MOJOKERTO, agency, make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.core.errors import DomainError, NotInScope
from simpul.referrals.models import Attachment, Referral
from simpul.referrals.services import FileInput, NeedInput, attachment_add, missing_documents, referral_record
from simpul.referrals.services.attachments import MAX_FILES_PER_REFERRAL
from simpul.referrals.tests.kit import PDF_BYTES, jpeg_bytes, move, record

VISIT = "Kunjungan rumah: atap bocor, dinding retak."
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


def image_bytes(kind: str, size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format=kind)
    return buffer.getvalue()


def noisy_jpeg(side: int) -> bytes:
    """A JPEG that does not compress away: its size grows with its side."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, names in os.walk(root) for f in names)


@pytest.fixture
def referral(kader_miji, family_miji):
    """An RTLH need recorded without documents."""
    return record(kader_miji, household=family_miji, documents=False)


def add(user, referral, *files: FileInput):
    return attachment_add(actor=user, scope=scope_for(user), referral=referral, files=list(files))


def refused(user, referral, media, *files: FileInput, code: str | None = None) -> DomainError:
    """An upload that must fail: no Attachment row and no file in storage afterwards."""
    rows, on_disk = Attachment.objects.count(), stored_files(media)
    with pytest.raises(DomainError) as caught:
        add(user, referral, *files)
    assert (Attachment.objects.count(), stored_files(media)) == (rows, on_disk)
    if code is not None:
        assert caught.value.code == code
    return caught.value


# --- what is accepted and how it is stored ---------------------------------------------------------------


def test_a_photo_and_a_document_land_in_storage_with_their_type_from_the_bytes(kader_miji, referral, media):
    photo, paper = noisy_jpeg(16), PDF_BYTES
    made = add(kader_miji, referral, FileInput("house_photo", "Rumah Pak Budi.jpg", photo),
               FileInput("ktp", "KTP Budi Santoso.pdf", paper))
    assert len(made) == 2
    for attachment, content, content_type, extension in ((made[0], photo, "image/jpeg", ".jpg"),
                                                         (made[1], paper, "application/pdf", ".pdf")):
        attachment.refresh_from_db()
        assert (attachment.content_type, attachment.size, attachment.sha256, attachment.uploaded_by) == (
            content_type, len(content), hashlib.sha256(content).hexdigest(), kader_miji)
        path = media / attachment.file.name
        assert path.read_bytes() == content
        assert attachment.file.name.endswith(extension)
        # The stored name is the ticket and a digest: no name of a person on disk.
        assert referral.ticket in attachment.file.name and "Budi" not in attachment.file.name
    assert made[0].original_name == "Rumah Pak Budi.jpg"


def test_the_type_comes_from_the_bytes_not_the_name(kader_miji, referral):
    made = add(kader_miji, referral, FileInput("ktp", "ktp.pdf", jpeg_bytes()),
               FileInput("kk", "kk.jpg", PDF_BYTES), FileInput("photo", "foto.gif", image_bytes("PNG")),
               FileInput("site_photo", "lokasi.png", image_bytes("WEBP")))
    assert [(a.content_type, a.file.name.rsplit(".", 1)[1]) for a in made] == [
        ("image/jpeg", "jpg"), ("application/pdf", "pdf"), ("image/png", "png"), ("image/webp", "webp")]


@pytest.mark.parametrize(("name", "content"), [
    ("foto.jpg", EXE),  # a program renamed .jpg
    ("surat.pdf", b"Surat keterangan penghasilan\nRp 1.000.000\n"),  # a text file
    ("rumah.gif", image_bytes("GIF")),  # an image, but not one we keep
    ("rumah.jpg", jpeg_bytes()[:40]),  # a cut-off photo
    ("rumah.html", b"<html><script>alert(1)</script></html>"),
])
def test_a_file_that_is_neither_photo_nor_pdf_is_refused(kader_miji, referral, media, name, content):
    error = refused(kader_miji, referral, media, FileInput("ktp", name, content))
    assert name in error.field_errors["files.0"][0]


def test_a_pdf_given_as_a_photo_is_refused(kader_miji, referral, media):
    for doc_type in ("house_photo", "site_photo", "photo"):
        error = refused(kader_miji, referral, media, FileInput(doc_type, "rumah.pdf", PDF_BYTES))
        assert "files.0" in error.field_errors


def test_an_empty_file_and_an_unknown_type_are_refused(kader_miji, referral, media):
    refused(kader_miji, referral, media, FileInput("ktp", "kosong.jpg", b""))
    refused(kader_miji, referral, media, FileInput("passport", "paspor.jpg", jpeg_bytes()))


def test_an_oversized_file_is_refused_at_the_configured_limit(kader_miji, referral, media, settings):
    big = noisy_jpeg(48)
    settings.SIMPUL_MAX_UPLOAD_BYTES = len(big) - 1
    error = refused(kader_miji, referral, media, FileInput("house_photo", "besar.jpg", big))
    message = error.field_errors["files.0"][0]
    assert "besar.jpg" in message and filesizeformat(len(big) - 1) in message and " 0 MB" not in message
    settings.SIMPUL_MAX_UPLOAD_BYTES = len(big)  # exactly at the limit is fine
    assert len(add(kader_miji, referral, FileInput("house_photo", "besar.jpg", big))) == 1


def test_one_bad_file_in_a_batch_stores_none_of_them(kader_miji, referral, media):
    error = refused(kader_miji, referral, media, FileInput("ktp", "ktp.jpg", jpeg_bytes()),
                    FileInput("kk", "kk.exe", EXE), FileInput("house_photo", "rumah.pdf", PDF_BYTES))
    assert set(error.field_errors) == {"files.1", "files.2"}


def test_no_files_is_refused(kader_miji, referral, media):
    error = refused(kader_miji, referral, media)
    assert "files" in error.field_errors


def test_too_many_files_are_refused(kader_miji, referral, media):
    add(kader_miji, referral, *[FileInput("photo", f"{i}.jpg", jpeg_bytes((i, i, i))) for i in range(10)])
    too_many = [FileInput("photo", f"x{i}.jpg", jpeg_bytes()) for i in range(MAX_FILES_PER_REFERRAL - 10 + 1)]
    error = refused(kader_miji, referral, media, *too_many)
    assert "files" in error.field_errors
    assert len(add(kader_miji, referral, *too_many[:-1])) == MAX_FILES_PER_REFERRAL - 10


# --- who may add, and until when -------------------------------------------------------------------------


def test_the_reporter_and_the_village_office_add_documents(kader_miji, lurah_miji, operator_miji, referral):
    for user in (kader_miji, lurah_miji, operator_miji):
        (made,) = add(user, referral, FileInput("ktp", "ktp.pdf", PDF_BYTES))
        assert made.uploaded_by == user


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "camat_kranggan", "pembina_mojokerto",
                                     "bidan_kranggan", "opd_perkim", "opd_dinsos", "opd_perkim_jepara",
                                     "admin_user"])
def test_a_user_who_cannot_see_the_referral_gets_not_in_scope(request, referral, media, persona):
    error = refused(request.getfixturevalue(persona), referral, media, FileInput("ktp", "ktp.pdf", PDF_BYTES))
    assert isinstance(error, NotInScope)


def test_another_kader_of_the_posyandu_sees_but_does_not_add(posyandu_miji, referral, media):
    other = make_user("kader.miji.2", Role.KADER, posyandu=posyandu_miji)
    error = refused(other, referral, media, FileInput("ktp", "ktp.pdf", PDF_BYTES))
    assert isinstance(error, NotInScope)


def test_the_routed_agency_cannot_add_documents_either(kader_miji, lurah_miji, opd_perkim, family_miji, media):
    forwarded = record(kader_miji, household=family_miji)
    forwarded = move(lurah_miji, forwarded, "verify", note=VISIT)
    forwarded = move(lurah_miji, forwarded, "forward", agency=agency(MOJOKERTO, "perkim"))
    refused(opd_perkim, forwarded, media, FileInput("photo", "progres.jpg", jpeg_bytes()))


def test_after_forwarding_no_more_uploads(kader_miji, lurah_miji, opd_perkim, family_miji, media):
    referral = record(kader_miji, household=family_miji)
    assert add(kader_miji, referral, FileInput("other", "tambahan.pdf", PDF_BYTES))  # recorded: open
    referral = move(lurah_miji, referral, "verify", note=VISIT)
    assert add(lurah_miji, referral, FileInput("other", "tambahan.pdf", PDF_BYTES))  # verified: open
    referral = move(lurah_miji, referral, "forward", agency=agency(MOJOKERTO, "perkim"))
    for user in (kader_miji, lurah_miji):
        refused(user, referral, media, FileInput("other", "telat.pdf", PDF_BYTES), code="conflict")
    referral = move(opd_perkim, referral, "accept")
    refused(kader_miji, referral, media, FileInput("other", "telat.pdf", PDF_BYTES), code="conflict")


def test_a_reopened_referral_takes_documents_again(kader_miji, lurah_miji, family_miji):
    referral = move(lurah_miji, record(kader_miji, household=family_miji), "reject", note="Data belum lengkap.")
    referral = move(lurah_miji, referral, "reopen", note="Data sudah dilengkapi.")
    assert len(add(kader_miji, referral, FileInput("other", "susulan.pdf", PDF_BYTES))) == 1


# --- the same checks when recording ---------------------------------------------------------------------


def test_recording_with_a_bad_file_writes_nothing(kader_miji, family_miji, media):
    before = (Referral.objects.count(), Attachment.objects.count())
    files = [FileInput("ktp", "ktp.pdf", PDF_BYTES), FileInput("house_photo", "rumah.jpg", EXE)]
    with pytest.raises(DomainError) as caught:
        referral_record(actor=kader_miji, scope=scope_for(kader_miji), data=NeedInput(
            category="prk_rtlh", description="Atap bocor, dinding retak.", household_id=family_miji.pk, files=files))
    assert set(caught.value.field_errors) == {"files.1"}
    assert (Referral.objects.count(), Attachment.objects.count(), stored_files(media)) == (*before, [])


def test_recording_with_good_files_stores_them(kader_miji, family_miji, media):
    referral = record(kader_miji, household=family_miji)
    assert referral.attachments.count() == 8
    assert len(stored_files(media)) == 8
    assert missing_documents(referral) == []


def test_missing_documents_counts_what_is_still_needed(kader_miji, referral):
    add(kader_miji, referral, FileInput("ktp", "ktp.pdf", PDF_BYTES),
        FileInput("house_photo", "a.jpg", jpeg_bytes()), FileInput("house_photo", "b.jpg", jpeg_bytes((1, 2, 3))))
    missing = {item["type"]: (item["have"], item["needed"]) for item in missing_documents(referral)}
    assert missing == {"kk": (0, 1), "income_statement": (0, 1), "land_proof": (0, 1), "house_photo": (2, 3),
                       "no_prior_aid": (0, 1)}

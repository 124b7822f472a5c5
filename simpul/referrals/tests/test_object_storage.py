"""Documents in S3-compatible object storage, chosen by setting: a real S3 API on loopback (moto's server).

The settings module is read in a fresh process with the SIMPUL_S3_* variables set, so the test covers the
exact dictionary production gets; the round trip then stores a referral's documents through that backend
and downloads them through the scoped view.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import boto3
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from moto.server import ThreadedMotoServer

from simpul.referrals.models import Attachment
from simpul.referrals.tests.kit import jpeg_bytes, record

BUCKET = "simpul-dokumen"
KEYS = {"SIMPUL_S3_ACCESS_KEY": "simpul-test-key", "SIMPUL_S3_SECRET_KEY": "simpul-test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="ap-southeast-3",
                          aws_access_key_id=KEYS["SIMPUL_S3_ACCESS_KEY"],
                          aws_secret_access_key=KEYS["SIMPUL_S3_SECRET_KEY"])
    try:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"})
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass  # moto keeps its buckets per process, across server restarts
    yield endpoint, client
    server.stop()


def storages_from_environment(extra: dict[str, str]) -> dict:
    """STORAGES as the settings module builds it in a process started with these variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SIMPUL_S3_")}
    env.update({"SIMPUL_ENV": "test", "DJANGO_SETTINGS_MODULE": "simpul.settings_test", **extra})
    script = ("import json, django; django.setup(); from django.conf import settings; "
              "from django.core.files.storage import storages; "
              "print(json.dumps({'storages': settings.STORAGES, 'class': type(storages['default']).__name__}))")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_local_files_are_the_default():
    chosen = storages_from_environment({})
    assert chosen["class"] == "FileSystemStorage"


def test_setting_a_bucket_chooses_private_s3_storage(s3_endpoint):
    endpoint, _ = s3_endpoint
    chosen = storages_from_environment({"SIMPUL_S3_BUCKET": BUCKET, "SIMPUL_S3_ENDPOINT_URL": endpoint,
                                        "SIMPUL_S3_REGION": "ap-southeast-3", "SIMPUL_S3_PREFIX": "simpul", **KEYS})
    assert chosen["class"] == "S3Storage"
    options = chosen["storages"]["default"]["OPTIONS"]
    assert options["bucket_name"] == BUCKET
    assert options["endpoint_url"] == endpoint
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("from-a-file\n", encoding="utf-8")
    chosen = storages_from_environment({"SIMPUL_S3_BUCKET": BUCKET, "SIMPUL_S3_SECRET_KEY_FILE": str(secret)})
    assert chosen["storages"]["default"]["OPTIONS"]["secret_key"] == "from-a-file"
    assert chosen["storages"]["default"]["OPTIONS"]["endpoint_url"] is None


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    endpoint, client = s3_endpoint
    options = storages_from_environment({"SIMPUL_S3_BUCKET": BUCKET, "SIMPUL_S3_ENDPOINT_URL": endpoint,
                                         "SIMPUL_S3_REGION": "ap-southeast-3", "SIMPUL_S3_PREFIX": "simpul",
                                         **KEYS})["storages"]["default"]
    settings.STORAGES = {**settings.STORAGES, "default": options}
    return client


def test_referral_documents_round_trip_through_the_bucket(s3_storage, client, kader_miji, family_miji):
    photo = jpeg_bytes((10, 120, 200))
    referral = record(kader_miji, household=family_miji)
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    keys = {item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET, Prefix="simpul/").get("Contents", [])}
    names = {f"simpul/{a.file.name}" for a in Attachment.objects.filter(referral=referral)}
    assert names and names <= keys
    # Private objects: no grant to AllUsers on any stored document.
    for key in names:
        grants = s3_storage.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("/AllUsers")]
    # The scoped view streams the bytes back from the bucket.
    attachment = Attachment.objects.filter(referral=referral, content_type="image/jpeg").first()
    stored = s3_storage.get_object(Bucket=BUCKET, Key=f"simpul/{attachment.file.name}")["Body"].read()
    client.force_login(kader_miji)
    response = client.get(reverse("referrals:attachment", args=[referral.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert stored[:3] == photo[:3] == b"\xff\xd8\xff"


def test_someone_outside_the_region_cannot_download_from_the_bucket(s3_storage, client, kader_miji,
                                                                      kader_jepara, family_miji):
    referral = record(kader_miji, household=family_miji)
    attachment = Attachment.objects.filter(referral=referral).first()
    client.force_login(kader_jepara)
    response = client.get(reverse("referrals:attachment", args=[referral.pk, attachment.pk]))
    assert response.status_code == 404

"""Where uploads live (settings.py, "Storage"), read as a deployment's process reads
its environment, and used against a real S3-speaking server (moto's server mode).

- Without AWS_STORAGE_BUCKET_NAME: the local disk, for images and documents alike.
- With it: images and declarations' PDFs are public-read objects at an unsigned
  address, meetings' documents private objects reached through a signed address
  that expires, no upload replaces another of the same name, and the
  Content-Security-Policy lets pages show images from the storage's origin (which
  is checked against the addresses the storage really gives, for AWS, an
  S3-compatible server and a CDN in front).
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from declarations.models import Declaration, MeetingDocument
from tests.stack import S3Server
from tests.unreachable_database import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k3v9-Qx7!pL2#mZ8rT5wY1uN4bH6jC0sF9dG2aE7xV3zR8qW5tK1yU6iO4pM0nB2",
    "DJANGO_ALLOWED_HOSTS": "migracje.example.pl",
    # Never used for a request here: only to sign addresses.
    "AWS_ACCESS_KEY_ID": "test-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
}
PROBE = "cities/arms/herb-gdanska.webp"


def process_settings(env):
    """STORAGES, the CSP and the addresses the two storages give for a file, as a
    process started with `env` (and nothing else of ours) sees them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.core.files.storage import storages; from csp.utils import build_policy; "
        "print(json.dumps({'STORAGES': settings.STORAGES, 'CSP': build_policy(), "
        f"'image_url': storages['default'].url({PROBE!r}), "
        "'document_url': storages['documents'].url('meetings/documents/protokol.pdf')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    result = subprocess.run(  # noqa: S603 (the test's own arguments)
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ump_portal.settings", **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def img_src(policy):
    parts = [part.strip().split(" ", 1) for part in policy.split(";")]
    return dict(part for part in parts if len(part) == 2)["img-src"].split()


def origin(url):
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_without_a_bucket_uploads_stay_on_the_local_disk():
    values = process_settings({})
    for alias in ("default", "documents"):
        assert values["STORAGES"][alias] == {
            "BACKEND": "django.core.files.storage.FileSystemStorage"
        }
    assert values["image_url"] == f"/media/{PROBE}"
    assert img_src(values["CSP"]) == ["'self'"]


@pytest.mark.parametrize(
    "env",
    [
        {"AWS_S3_ENDPOINT_URL": "https://s3.example.net:9000"},
        {"AWS_S3_REGION_NAME": "eu-central-1"},
        {},
        {"AWS_S3_CUSTOM_DOMAIN": "media.migracje.example.pl", "AWS_S3_REGION_NAME": "eu-west-1"},
        {"AWS_S3_CUSTOM_DOMAIN": "127.0.0.1:9000/ump-media", "AWS_S3_URL_PROTOCOL": "http:"},
        {
            "AWS_S3_ENDPOINT_URL": "https://objects.example.net",
            "AWS_S3_ADDRESSING_STYLE": "virtual",
        },
    ],
    ids=["s3-compatible", "aws-region", "aws", "cdn", "cdn-with-path", "virtual-hosted"],
)
def test_with_a_bucket_images_are_public_and_allowed_by_the_csp(env):
    values = process_settings({"AWS_STORAGE_BUCKET_NAME": "ump-media", **env})
    media = values["STORAGES"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["default_acl"] == "public-read"
    assert media["OPTIONS"]["querystring_auth"] is False
    assert media["OPTIONS"]["file_overwrite"] is False
    image_url = values["image_url"]
    assert "Signature" not in image_url
    assert image_url.endswith(PROBE)
    # The one origin the CSP adds is where the storage really puts the images.
    assert img_src(values["CSP"]) == ["'self'", origin(image_url)]


def test_meeting_documents_are_private_with_short_lived_signed_addresses():
    values = process_settings(
        {
            "AWS_STORAGE_BUCKET_NAME": "ump-media",
            "AWS_DOCUMENTS_BUCKET_NAME": "ump-documents",
            "AWS_S3_CUSTOM_DOMAIN": "media.migracje.example.pl",
            "AWS_S3_REGION_NAME": "eu-central-1",
        }
    )
    documents = values["STORAGES"]["documents"]["OPTIONS"]
    assert documents["bucket_name"] == "ump-documents"
    assert documents["default_acl"] == "private"
    assert documents["querystring_auth"] is True
    url = urllib.parse.urlsplit(values["document_url"])
    # Signed by S3 itself, never at the CDN's public address.
    assert url.netloc == "ump-documents.s3.eu-central-1.amazonaws.com"
    query = urllib.parse.parse_qs(url.query)
    assert query["X-Amz-Expires"] == ["900"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    shorter = process_settings(
        {"AWS_STORAGE_BUCKET_NAME": "ump-media", "AWS_DOCUMENTS_URL_SECONDS": "120"}
    )
    assert "X-Amz-Expires=120" in shorter["document_url"]


def test_buckets_without_acls_get_none():
    """A bucket whose owner enforces object ownership refuses any ACL."""
    values = process_settings({"AWS_STORAGE_BUCKET_NAME": "ump", "AWS_S3_OBJECT_ACLS": "false"})
    for alias in ("default", "documents"):
        assert values["STORAGES"][alias]["OPTIONS"]["default_acl"] is None


def test_check_deploy_reports_nothing_with_object_storage():
    env = {"AWS_STORAGE_BUCKET_NAME": "ump-media", "AWS_S3_REGION_NAME": "eu-central-1"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ump_portal.settings", **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_meeting_documents_use_the_documents_storage():
    from django.core.files.storage import storages

    assert MeetingDocument._meta.get_field("file").storage is storages["documents"]


def test_declaration_pdfs_use_the_documents_storage():
    # A draft declaration's PDF is as private as a draft meeting's documents.
    from django.core.files.storage import storages

    assert Declaration._meta.get_field("pdf").storage is storages["documents"]


# --- Against a real S3 server ----------------------------------------------------------


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with S3Server(free_port(), tmp_path_factory.mktemp("s3") / "s3.log") as server:
        server.client().create_bucket(Bucket="ump-media")
        yield server


def storages_for(s3):
    """The two storages as a replica configured for `s3` builds them."""
    from storages.backends.s3 import S3Storage

    values = process_settings({**s3.env("ump-media")})
    credentials = {"access_key": s3.access_key, "secret_key": s3.secret_key}
    return tuple(
        S3Storage(**values["STORAGES"][alias]["OPTIONS"], **credentials)
        for alias in ("default", "documents")
    )


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our server)
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def test_an_image_is_public_and_never_replaces_another(s3):
    media, _documents = storages_for(s3)
    first = media.save("cities/arms/herb.webp", ContentFile(b"RIFF-first"))
    second = media.save("cities/arms/herb.webp", ContentFile(b"RIFF-second"))
    assert first == "cities/arms/herb.webp"
    assert second != first
    status, headers, body = fetch(media.url(first))
    assert status == 200
    assert body == b"RIFF-first"
    assert headers["Cache-Control"] == "public, max-age=86400"
    assert fetch(media.url(second))[2] == b"RIFF-second"


def test_a_document_is_private_and_opens_through_its_signed_address(s3):
    _media, documents = storages_for(s3)
    name = documents.save("meetings/documents/protokol.pdf", ContentFile(b"%PDF-1.7 minutes"))
    signed = documents.url(name)
    assert "X-Amz-Signature=" in signed
    assert fetch(signed)[:1] == (200,)
    assert fetch(signed)[2] == b"%PDF-1.7 minutes"
    unsigned = urllib.parse.urlsplit(signed)._replace(query="").geturl()
    assert fetch(unsigned)[0] == 403

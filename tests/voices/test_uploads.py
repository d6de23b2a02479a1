"""Drawings and photos: only real PNG and JPEG pictures get in, without their metadata, and they
are served only to people who may open the case."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from agencies.models import Role
from core.models import AuditEvent
from tests import factories
from voices import services, uploads
from voices.storage import upload_storage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize("content", [PDF, HTML, b"", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40])
def test_a_renamed_non_picture_is_refused(content):
    with pytest.raises(uploads.ValidationError) as error:
        uploads.clean_picture(factories.upload(content, name="drawing.png"))
    assert "not a picture we can use" in error.value.messages[0]


def test_other_real_image_formats_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(uploads.ValidationError, match="PNG"):
        uploads.clean_picture(factories.upload(out.getvalue(), name="drawing.png"))


def test_an_oversize_file_is_refused(settings):
    big = factories.upload(factories.png_bytes() + b"\x00" * (uploads.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(uploads.ValidationError, match="too big"):
        uploads.clean_picture(big)


def test_too_many_pixels_is_refused():
    out = io.BytesIO()
    Image.new("1", (uploads.MAX_SIDE + 1, 10)).save(out, format="PNG")
    with pytest.raises(uploads.ValidationError, match="too large"):
        uploads.clean_picture(factories.upload(out.getvalue()))


def test_a_photo_is_reencoded_without_its_exif():
    original = factories.jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()  # the synthetic photo has a camera tag
    clean = uploads.clean_picture(
        factories.upload(original, name="photo.jpg", content_type="image/jpeg")
    )
    assert clean.content_type == "image/jpeg" and (clean.width, clean.height) == (64, 48)
    reopened = Image.open(io.BytesIO(clean.content))
    assert reopened.format == "JPEG"
    assert not reopened.getexif() and "exif" not in reopened.info


def test_stored_names_are_random_and_outside_any_public_url(settings):
    clean = uploads.clean_picture(
        factories.upload(factories.png_bytes(), name="Leo Testington.png")
    )
    first = uploads.store_picture(clean, agency_id=7)
    second = uploads.store_picture(clean, agency_id=7)
    assert first != second and "Leo" not in first and first.endswith(".png")
    root = settings.THREEFOLD_UPLOAD_ROOT
    assert upload_storage().path(first).startswith(str(root))
    assert (root / first).read_bytes() == clean.content


@pytest.fixture
def record_with_picture(worker, case, child):
    clean = uploads.clean_picture(factories.upload(factories.png_bytes()))
    return services.voice_record_add(
        actor=worker,
        case=case,
        child=child,
        kind="three_houses",
        done_on=case.opened_on,
        words={"worries": "Shouting"},
        pictures=[(clean, "Leo's drawing of his house", "")],
    )


def picture_url(record):
    picture = record.pictures.get()
    return reverse(
        "voices:voice_picture", args=[record.case_id, record.child_id, record.pk, picture.pk]
    )


def test_a_picture_is_served_to_the_team_with_safe_headers_and_audited(
    client, worker, record_with_picture
):
    client.force_login(worker)
    response = client.get(picture_url(record_with_picture))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).format == "PNG"
    event = AuditEvent.objects.get(verb="voices.picture_viewed")
    assert event.actor == worker and event.case_id == record_with_picture.case_id


def test_a_picture_is_404_to_another_agency(client, record_with_picture):
    client.force_login(factories.UserFactory(role=Role.CONFERENCE_CHAIR))
    assert client.get(picture_url(record_with_picture)).status_code == 404
    assert not AuditEvent.objects.filter(verb="voices.picture_viewed").exists()


def test_a_picture_sends_anonymous_visitors_to_sign_in(client, record_with_picture):
    response = client.get(picture_url(record_with_picture))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_removed_picture_is_no_longer_served(client, worker, record_with_picture):
    services.voice_picture_remove(actor=worker, picture=record_with_picture.pictures.get())
    client.force_login(worker)
    assert client.get(picture_url(record_with_picture)).status_code == 404


def test_a_picture_of_another_child_is_404_through_this_childs_url(
    client, worker, case, record_with_picture
):
    sister = factories.PersonFactory(agency=case.agency, given_name="Mia")
    factories.CaseMemberFactory(case=case, person=sister)
    picture = record_with_picture.pictures.get()
    client.force_login(worker)
    url = reverse(
        "voices:voice_picture", args=[case.pk, sister.pk, record_with_picture.pk, picture.pk]
    )
    assert client.get(url).status_code == 404


def test_uploading_through_the_form_refuses_a_renamed_pdf_with_a_clear_message(
    client, worker, case, child, record_with_picture
):
    client.force_login(worker)
    url = reverse("voices:voice_picture_add", args=[case.pk, child.pk, record_with_picture.pk])
    response = client.post(
        url, {"picture": factories.upload(PDF, name="drawing.png"), "alt_text": "A drawing"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "not a picture we can use" in html
    big = factories.upload(
        factories.png_bytes() + b"\x00" * uploads.MAX_UPLOAD_BYTES, name="big.png"
    )
    response = client.post(url, {"picture": big, "alt_text": "A drawing"})
    assert "This file is too big" in response.content.decode()
    response = client.post(
        url, {"picture": factories.upload(factories.png_bytes()), "alt_text": ""}
    )
    assert "Say in a few words what the picture shows." in response.content.decode()
    assert record_with_picture.pictures.count() == 1
    response = client.post(
        url, {"picture": factories.upload(factories.png_bytes()), "alt_text": "Leo's garden"}
    )
    assert response.status_code == 302
    assert record_with_picture.pictures.filter(alt_text="Leo's garden").exists()

"""POST /api/v1/reports/reports/: filing a report through the API (anonymous allowed)."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from reports.models import Report, ReportCategory, ReportPhoto
from tests.reports.api.conftest import (
    AMSTERDAM,
    PIETERSWIJK,
    jpeg_bytes,
    report_count,
    report_payload,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/reports/"


def test_url_is_stable_when_reversed():
    assert reverse("api-v1:reports:report-create") == URL


def test_create_returns_201_with_reference_buurt_and_tracking_link_when_valid(
    api_client, leiden, cats
):
    # given / when
    response = api_client.post(URL, report_payload(), format="json")

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"reference", "uuid", "status", "buurt", "tracking_token", "tracking_url"}
    report = Report.objects.get()
    assert body["reference"] == report.reference
    assert body["uuid"] == str(report.uuid)
    assert body["status"] == "nieuw"
    assert body["buurt"] == {"code": "BU05460000", "name": "Pieterswijk"}
    assert body["tracking_url"].endswith(f"/{body['tracking_token']}/")
    assert report.source == Report.Source.API
    assert report.reporter is None
    track = api_client.get(f"/api/v1/reports/track/{body['tracking_token']}/")
    assert track.status_code == 200
    assert track.json()["reference"] == report.reference


def test_create_links_the_account_when_signed_in(client_as, leiden, cats):
    # given
    client = client_as("resident")

    # when
    response = client.post(URL, report_payload(), format="json")

    # then
    assert response.status_code == 201
    assert Report.objects.get().reporter_id == client.user.pk


def test_create_accepts_a_buurt_with_a_place_description_instead_of_a_point(
    api_client, leiden, cats
):
    # given
    payload = report_payload(
        lat=None, lon=None, buurt="BU05460500", location_description="Bij de kerk"
    )

    # when
    response = api_client.post(URL, payload, format="json")

    # then
    assert response.status_code == 201, response.content
    assert response.json()["buurt"]["code"] == "BU05460500"
    assert Report.objects.get().lat is None


def test_create_stores_contact_email_when_consent_given(api_client, leiden, cats):
    # given
    payload = report_payload(contact_email="Iemand@Example.test", contact_consent=True)

    # when
    response = api_client.post(URL, payload, format="json")

    # then
    assert response.status_code == 201
    report = Report.objects.get()
    assert (report.contact_email, report.contact_consent) == ("iemand@example.test", True)


def test_create_accepts_exactly_4000_characters(api_client, leiden, cats):
    # given / when
    response = api_client.post(URL, report_payload(description="a" * 4000), format="json")

    # then
    assert response.status_code == 201


# --- Bad input: domain errors name the field --------------------------------------------------

DOMAIN_ERRORS = [
    pytest.param(
        {"lat": AMSTERDAM[0], "lon": AMSTERDAM[1]}, "outside_municipality", "location", id="outside"
    ),
    pytest.param(
        {"lat": PIETERSWIJK[1], "lon": PIETERSWIJK[0]},
        "swapped_coordinates",
        "location",
        id="swapped",
    ),
    pytest.param({"lat": 152.0, "lon": 4.49}, "invalid_coordinates", "location", id="out-of-range"),
    pytest.param({"lon": None}, "location_required", "lon", id="lat-only"),
    pytest.param({"lat": None, "lon": None}, "location_required", "location", id="no-location"),
    pytest.param(
        {"category": "bestaat-niet"}, "category_unavailable", "category", id="unknown-category"
    ),
    pytest.param(
        {"category": "verloedering"}, "category_unavailable", "category", id="main-category"
    ),
    pytest.param(
        {"category": "misdrijf"}, "category_redirect_only", "category", id="redirect-only"
    ),
    pytest.param(
        {"description": "a" * 4001}, "description_invalid", "description", id="4001-chars"
    ),
    pytest.param(
        {"description": "Kijk <script>alert(1)</script> hier"},
        "description_invalid",
        "description",
        id="script",
    ),
    pytest.param({"description": "   "}, "description_invalid", "description", id="blank-text"),
    pytest.param(
        {"contact_email": "a@example.test"},
        "contact_consent_required",
        "contact_consent",
        id="no-consent",
    ),
    pytest.param(
        {"occurred_at": "2999-01-01T10:00:00+01:00"},
        "description_invalid",
        "occurred_at",
        id="future",
    ),
    pytest.param(
        {"lat": None, "lon": None, "buurt": "BU03630000", "location_description": "Dam"},
        "location_required",
        "buurt",
        id="buurt-elsewhere",
    ),
    pytest.param(
        {"lat": None, "lon": None, "buurt": "BU05460000"},
        "location_required",
        "location_description",
        id="buurt-without-place",
    ),
]


@pytest.mark.parametrize(("changes", "code", "field"), DOMAIN_ERRORS)
def test_create_returns_400_with_code_and_field_when_input_is_refused(
    api_client, leiden, cats, changes, code, field
):
    # given
    payload = report_payload(**changes)
    for key in [k for k, v in changes.items() if v is None]:
        payload.pop(key, None)

    # when
    response = api_client.post(URL, payload, format="json")

    # then
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code
    assert body["extra"]["field"] == field
    assert body["detail"]
    assert report_count() == 0


def test_create_says_how_long_the_text_may_be_when_too_long(api_client, leiden, cats):
    # given / when
    body = api_client.post(URL, report_payload(description="b" * 4001), format="json").json()

    # then
    assert body["extra"] == {"field": "description", "max_length": 4000, "length": 4001}


def test_create_refuses_an_inactive_category(api_client, leiden, cats):
    # given
    ReportCategory.objects.filter(slug="zwerfafval").update(is_active=False)

    # when
    response = api_client.post(URL, report_payload(), format="json")

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "category_unavailable"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"description": "x"}, "category", id="missing-category"),
        pytest.param({"category": "zwerfafval"}, "description", id="missing-description"),
        pytest.param(report_payload(lat="abc"), "lat", id="lat-not-a-number"),
        pytest.param(report_payload(contact_email="geen-adres"), "contact_email", id="bad-email"),
        pytest.param(report_payload(occurred_at="gisteren"), "occurred_at", id="bad-datetime"),
        pytest.param(report_payload(photos=["abc"]), "photos", id="photo-not-a-file"),
    ],
)
def test_create_returns_field_errors_when_input_malformed(api_client, leiden, cats, payload, field):
    # given / when
    response = api_client.post(URL, payload, format="json")

    # then
    assert response.status_code == 400
    assert field in response.json()
    assert report_count() == 0


# --- Idempotency ------------------------------------------------------------------------------


def test_replay_with_same_idempotency_key_returns_200_with_the_same_report(
    api_client, leiden, cats
):
    # given
    key = str(uuid.uuid4())
    first = api_client.post(URL, report_payload(), format="json", headers={"Idempotency-Key": key})

    # when
    again = api_client.post(URL, report_payload(), format="json", headers={"Idempotency-Key": key})

    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert report_count() == 1


def test_idempotency_key_may_be_given_as_a_field(api_client, leiden, cats):
    # given
    payload = report_payload(idempotency_key="formulier-12345678")

    # when
    first = api_client.post(URL, payload, format="json")
    again = api_client.post(URL, payload, format="json")

    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["uuid"] == again.json()["uuid"]
    assert report_count() == 1


def test_different_keys_make_different_reports(api_client, leiden, cats):
    # given / when
    for key in ("sleutel-aaaaaaaa", "sleutel-bbbbbbbb"):
        api_client.post(URL, report_payload(), format="json", headers={"Idempotency-Key": key})

    # then
    assert report_count() == 2


def test_same_key_with_other_text_returns_409_idempotency_conflict(api_client, leiden, cats):
    # given
    headers = {"Idempotency-Key": "sleutel-cccccccc"}
    api_client.post(URL, report_payload(), format="json", headers=headers)

    # when
    response = api_client.post(
        URL, report_payload(description="Iets heel anders"), format="json", headers=headers
    )

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert report_count() == 1


@pytest.mark.parametrize(
    ("headers", "field_value"),
    [
        pytest.param({"Idempotency-Key": "kort"}, None, id="too-short"),
        pytest.param({"Idempotency-Key": "met spaties erin"}, None, id="spaces"),
        pytest.param(
            {"Idempotency-Key": "sleutel-dddddddd"},
            "sleutel-eeeeeeee",
            id="header-and-field-differ",
        ),
    ],
)
def test_bad_idempotency_key_returns_400_naming_the_field(
    api_client, leiden, cats, headers, field_value
):
    # given
    payload = report_payload(idempotency_key=field_value)

    # when
    response = api_client.post(URL, payload, format="json", headers=headers)

    # then
    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert report_count() == 0


# --- Photos (multipart) -----------------------------------------------------------------------


def _upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("field_name", ["photos", "photos[]"])
def test_multipart_with_photos_stores_them(api_client, leiden, cats, field_name):
    # given
    payload = report_payload()
    payload[field_name] = [_upload("a.jpg", jpeg_bytes()), _upload("b.jpg", jpeg_bytes((20, 20)))]

    # when
    response = api_client.post(URL, payload, format="multipart")

    # then
    assert response.status_code == 201, response.content
    assert ReportPhoto.objects.filter(report__uuid=response.json()["uuid"]).count() == 2


def test_multipart_with_a_fake_image_returns_400_photo_invalid(api_client, leiden, cats):
    # given
    payload = report_payload(photos=[_upload("foto.jpg", b"<?php echo 'geen foto'; ?>")])

    # when
    response = api_client.post(URL, payload, format="multipart")

    # then
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["extra"]["field"], body["extra"]["index"]) == (
        "photo_invalid",
        "photos",
        0,
    )
    assert report_count() == 0
    assert ReportPhoto.objects.count() == 0


@override_settings(REPORTS_PHOTO_MAX_BYTES=1000)
def test_multipart_with_an_oversized_image_returns_400_photo_too_large(api_client, leiden, cats):
    # given
    payload = report_payload(photos=[_upload("groot.jpg", jpeg_bytes((800, 600)))])

    # when
    response = api_client.post(URL, payload, format="multipart")

    # then
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["extra"]["field"]) == ("photo_too_large", "photos")
    assert report_count() == 0


def test_multipart_with_four_photos_returns_400_too_many_photos(api_client, leiden, cats):
    # given
    payload = report_payload(photos=[_upload(f"{i}.jpg", jpeg_bytes()) for i in range(4)])

    # when
    response = api_client.post(URL, payload, format="multipart")

    # then
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["extra"]["field"]) == (
        "too_many_photos",
        "photos",
    )
    assert report_count() == 0


# --- Throttling -------------------------------------------------------------------------------


def _rates(**scopes):
    from django.conf import settings

    config = {**settings.REST_FRAMEWORK}
    config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], **scopes}
    return override_settings(REST_FRAMEWORK=config)


def test_create_returns_429_when_an_address_sends_too_many(api_client, leiden, cats):
    # given
    with _rates(report_create="2/hour"):
        statuses = [
            api_client.post(
                URL, report_payload(description=f"Melding {i}"), format="json"
            ).status_code
            for i in range(3)
        ]

    # then
    assert statuses == [201, 201, 429]
    assert report_count() == 2


def test_create_is_not_throttled_when_the_rate_is_switched_off(api_client, leiden, cats):
    # given
    with _rates(report_create=None):
        statuses = {
            api_client.post(
                URL, report_payload(description=f"Melding {i}"), format="json"
            ).status_code
            for i in range(35)
        }

    # then
    assert statuses == {201}

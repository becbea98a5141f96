"""report_create: the intake path. Every refusal leaves nothing behind."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import ExifTags, Image

from core.exceptions import DomainError
from reports.models import Report, ReportEvent, ReportPhoto
from reports.selectors import report_get_by_token
from reports.services import report_create
from tests.participation.factories import UserFactory
from tests.reports.conftest import point
from tests.reports.images import image_bytes, jpeg_with_exif_and_gps, noisy_jpeg

pytestmark = pytest.mark.django_db

INSIDE = point(1)
OUTSIDE = point(10)  # 1.6 km east of the last buurt: in the Netherlands, not in the town


def _valid(**overrides):
    kwargs = {
        "category_slug": "zwerfafval",
        "description": "Naast de bank bij de speeltuin ligt al dagen afval.",
        "lat": INSIDE[0],
        "lon": INSIDE[1],
        "photos": [image_bytes("JPEG")],
    }
    kwargs.update(overrides)
    return kwargs


def _assert_nothing_written(files_written):
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert ReportEvent.objects.count() == 0
    assert files_written() == set()


BAD_INPUT = {
    "outside_municipality": (
        {"lat": OUTSIDE[0], "lon": OUTSIDE[1]},
        "outside_municipality",
        "location",
    ),
    "swapped_lat_lon": ({"lat": INSIDE[1], "lon": INSIDE[0]}, "swapped_coordinates", "location"),
    "only_lat": ({"lon": None}, "location_required", "lon"),
    "only_lon": ({"lat": None}, "location_required", "lat"),
    "no_location": ({"lat": None, "lon": None}, "location_required", "location"),
    "coordinates_not_numbers": ({"lat": "noord", "lon": "oost"}, "invalid_coordinates", "location"),
    "rd_metres_instead_of_degrees": (
        {"lat": 463100.0, "lon": 93300.0},
        "invalid_coordinates",
        "location",
    ),
    "missing_category": ({"category_slug": "bestaat-niet"}, "category_unavailable", "category"),
    "inactive_category": ({"category_slug": "INACTIVE"}, "category_unavailable", "category"),
    "redirect_only_category": ({"category_slug": "spoed"}, "category_redirect_only", "category"),
    "main_category_with_subcategories": (
        {"category_slug": "verloedering"},
        "category_unavailable",
        "category",
    ),
    "description_4001_chars": ({"description": "a" * 4001}, "description_invalid", "description"),
    "description_empty": ({"description": ""}, "description_invalid", "description"),
    "description_only_whitespace": (
        {"description": " \n\t "},
        "description_invalid",
        "description",
    ),
    "description_script": (
        {"description": "Kijk hier <script>alert('x')</script>"},
        "description_invalid",
        "description",
    ),
    "description_html": (
        {"description": 'Zie <a href="https://example.test">foto</a>'},
        "description_invalid",
        "description",
    ),
    "location_description_html": (
        {"location_description": "<b>bij de brug</b>"},
        "description_invalid",
        "location_description",
    ),
    "fake_image": ({"photos": [b"dit is geen foto, alleen tekst"]}, "photo_invalid", "photos"),
    "gif_image": ({"photos": [image_bytes("GIF")]}, "photo_invalid", "photos"),
    "four_photos": ({"photos": [image_bytes("JPEG")] * 4}, "too_many_photos", "photos"),
    "email_without_consent": (
        {"contact_email": "melder@example.test", "contact_consent": False},
        "contact_consent_required",
        "contact_consent",
    ),
    "email_not_an_address": (
        {"contact_email": "geen-adres", "contact_consent": True},
        "description_invalid",
        "contact_email",
    ),
    "occurred_in_future": (
        {"occurred_at": "FUTURE"},
        "description_invalid",
        "occurred_at",
    ),
    "idempotency_key_too_long": (
        {"idempotency_key": "k" * 65},
        "description_invalid",
        "idempotency_key",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT.keys())
def test_report_create_refuses_and_writes_nothing_when_input_is_bad(
    case, town, categories, files_written
):
    # given
    overrides, code, field = BAD_INPUT[case]
    if overrides.get("category_slug") == "INACTIVE":
        categories["zwerfafval"].is_active = False
        categories["zwerfafval"].save()
        overrides = {**overrides, "category_slug": "zwerfafval"}
    if overrides.get("occurred_at") == "FUTURE":
        overrides = {**overrides, "occurred_at": timezone.now() + timedelta(hours=1)}

    # when
    with pytest.raises(DomainError) as exc_info:
        report_create(**_valid(**overrides))

    # then
    assert exc_info.value.code == code
    assert exc_info.value.extra["field"] == field
    _assert_nothing_written(files_written)


def test_report_create_names_the_channel_when_category_is_redirect_only(town, categories):
    with pytest.raises(DomainError) as exc_info:
        report_create(**_valid(category_slug="huiselijk-geweld"))
    assert exc_info.value.extra == {"field": "category", "channel": "veilig_thuis"}


def test_report_create_refuses_subcategory_when_its_main_category_is_inactive(
    town, categories, files_written
):
    categories["verloedering"].is_active = False
    categories["verloedering"].save()
    with pytest.raises(DomainError) as exc_info:
        report_create(**_valid())
    assert exc_info.value.code == "category_unavailable"
    _assert_nothing_written(files_written)


def test_report_create_accepts_main_category_when_all_its_subcategories_are_inactive(
    town, categories
):
    for slug in ("vandalisme-graffiti", "zwerfafval", "verlichting-donkere-plek"):
        categories[slug].is_active = False
        categories[slug].save()
    intake = report_create(**_valid(category_slug="verloedering"))
    assert intake.report.category.slug == "verloedering"


def test_report_create_refuses_too_large_photo_and_writes_nothing_when_over_byte_limit(
    town, categories, files_written, settings
):
    # given
    photo = noisy_jpeg()
    settings.REPORTS_PHOTO_MAX_BYTES = len(photo) - 1
    # when
    with pytest.raises(DomainError) as exc_info:
        report_create(**_valid(photos=[image_bytes("PNG"), photo]))
    # then
    assert exc_info.value.code == "photo_too_large"
    assert exc_info.value.extra["field"] == "photos"
    assert exc_info.value.extra["index"] == 1
    _assert_nothing_written(files_written)


def test_report_create_removes_stored_photos_when_a_later_write_fails(
    town, categories, files_written, monkeypatch
):
    # given: the audit log write fails after the photos were stored
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("reports.services.report_event_log", broken)
    # when
    with pytest.raises(RuntimeError):
        report_create(**_valid(photos=[image_bytes("JPEG"), image_bytes("PNG")]))
    # then
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert files_written() == set()


def test_report_create_accepts_4000_chars_when_description_is_at_the_limit(town, categories):
    intake = report_create(**_valid(description="a" * 4000))
    assert len(intake.report.description) == 4000


def test_report_create_accepts_plain_text_with_angle_brackets_when_not_markup(town, categories):
    text = "Auto's rijden hier < 30 km/u? Nee, eerder > 50."
    intake = report_create(**_valid(description=text))
    assert intake.report.description == text


def test_report_create_drops_control_characters_when_text_contains_them(town, categories):
    intake = report_create(**_valid(description="Kapotte\x00 lamp\r\nbij de brug\x07"))
    assert intake.report.description == "Kapotte lamp\nbij de brug"


def test_report_create_stores_report_buurt_grid_photos_and_audit_when_input_is_valid(
    town, categories, files_written
):
    # given
    user = UserFactory()
    # when
    intake = report_create(
        **_valid(
            photos=[image_bytes("JPEG"), image_bytes("PNG"), image_bytes("WEBP")],
            contact_email=" Melder@Example.TEST ",
            contact_consent=True,
            reporter=user,
            location_description="  bij het bankje  ",
            occurred_at=timezone.now() - timedelta(hours=2),
        )
    )
    # then
    report = Report.objects.get()
    assert intake.created is True
    assert intake.report == report
    assert report.buurt.code == "BU05469001"
    assert report.status == Report.Status.NEW
    assert report.moderation == Report.Moderation.PENDING
    assert report.public_description == ""
    assert report.grid_x is not None
    assert report.grid_y is not None
    assert report.contact_email == "melder@example.test"
    assert report.contact_consent is True
    assert report.reporter == user
    assert report.location_description == "bij het bankje"
    assert report.reference.startswith("BS-")
    assert report.photos.count() == 3
    assert len(files_written()) == 3
    assert report_get_by_token(token=intake.tracking_token) == report
    assert report.tracking_token_hash != intake.tracking_token
    event = ReportEvent.objects.get()
    assert event.action == "report.created"
    assert event.actor == user
    assert event.after == {
        "status": "nieuw",
        "category": "zwerfafval",
        "buurt": "BU05469001",
        "source": "web",
        "photos": 3,
    }


def test_report_create_stores_photos_as_jpeg_when_uploaded_as_png_or_webp(town, categories):
    intake = report_create(**_valid(photos=[image_bytes("PNG"), image_bytes("WEBP")]))
    for photo in intake.report.photos.all():
        with photo.image.open("rb") as f, Image.open(f) as img:
            assert img.format == "JPEG"
        assert photo.image.name.endswith(".jpg")
        assert (photo.width, photo.height) == (40, 20)


def test_report_create_accepts_chosen_buurt_when_no_point_is_given(town, categories):
    intake = report_create(
        **_valid(lat=None, lon=None),
        buurt_code=" bu05469100 ",
        location_description="Hoek Havenstraat",
    )
    assert intake.report.buurt.code == "BU05469100"
    assert intake.report.lat is None
    assert intake.report.grid_x is None


@pytest.mark.parametrize(
    ("buurt_code", "place", "field"),
    [
        ("BU03639999", "Dam", "buurt"),  # another municipality
        ("BU05469100", "", "location_description"),
        ("BU05469100", "a", "location_description"),
    ],
)
def test_report_create_refuses_chosen_buurt_when_outside_or_place_not_described(
    buurt_code, place, field, town, categories, files_written
):
    with pytest.raises(DomainError) as exc_info:
        report_create(
            **_valid(lat=None, lon=None), buurt_code=buurt_code, location_description=place
        )
    assert exc_info.value.code == "location_required"
    assert exc_info.value.extra["field"] == field
    _assert_nothing_written(files_written)


def test_report_create_returns_first_report_and_same_token_when_post_is_replayed(
    town, categories, files_written
):
    # given
    first = report_create(**_valid(idempotency_key="key-1"))
    # when
    again = report_create(**_valid(idempotency_key="key-1"))
    # then
    assert again.created is False
    assert again.report.pk == first.report.pk
    assert again.tracking_token == first.tracking_token
    assert Report.objects.count() == 1
    assert ReportPhoto.objects.count() == 1
    assert len(files_written()) == 1
    assert ReportEvent.objects.count() == 1


def test_report_create_returns_first_report_when_replay_has_same_buurt_and_no_point(
    town, categories
):
    kwargs = _valid(lat=None, lon=None, idempotency_key="key-2")
    first = report_create(**kwargs, buurt_code="BU05469100", location_description="Bij de kade")
    again = report_create(**kwargs, buurt_code="bu05469100", location_description="Bij de kade")
    assert again.report.pk == first.report.pk
    assert again.created is False


@pytest.mark.parametrize(
    "changed",
    [
        {"description": "Een heel andere melding over iets anders."},
        {"category_slug": "vandalisme-graffiti"},
        {"lat": point(2)[0], "lon": point(2)[1]},
    ],
    ids=["text", "category", "place"],
)
def test_report_create_refuses_with_conflict_when_same_key_has_different_content(
    changed, town, categories
):
    # given
    report_create(**_valid(idempotency_key="key-3"))
    # when
    with pytest.raises(DomainError) as exc_info:
        report_create(**_valid(idempotency_key="key-3", **changed))
    # then
    assert exc_info.value.code == "idempotency_conflict"
    assert exc_info.value.http_status == 409
    assert exc_info.value.extra == {"field": "idempotency_key"}
    assert Report.objects.count() == 1


def test_report_create_makes_two_reports_when_keys_differ(town, categories):
    report_create(**_valid(idempotency_key="a"))
    report_create(**_valid(idempotency_key="b"))
    report_create(**_valid())
    assert Report.objects.count() == 3
    assert Report.objects.filter(idempotency_key=None).count() == 1


def test_report_create_gives_each_report_its_own_reference_and_token(town, categories):
    a = report_create(**_valid())
    b = report_create(**_valid())
    assert a.report.reference != b.report.reference
    assert a.tracking_token != b.tracking_token


def test_report_create_stores_photo_without_exif_or_gps_when_upload_has_them(town, categories):
    intake = report_create(**_valid(photos=[jpeg_with_exif_and_gps()]))
    photo = intake.report.photos.get()
    with photo.image.open("rb") as f:
        content = f.read()
    with Image.open(io.BytesIO(content)) as img:
        assert len(img.getexif()) == 0
        assert img.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert img.size == (20, 40)
    assert (photo.width, photo.height) == (20, 40)
    assert photo.size_bytes == len(content)

"""Resident pages for meldingen (Django test client): filing in two steps (place and
category, then open reports nearby and the details), joining a nearby report, the
confirmation and the tracking page."""

# The reports fixtures (town, categories, …) are imported: parameters of that name are them.
# ruff: noqa: F811

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from frontend.forms.reports import idempotency_key_for_domain
from reports.models import Report, ReportEvent, ReportPhoto, ReportSupport
from reports.services import report_message_add, report_status_change
from reports.tokens import tracking_token_for
from tests.frontend.html_audit import csp_audit
from tests.participation.factories import UserFactory
from tests.reports.conftest import categories, files_written, point, town  # noqa: F401
from tests.reports.factories import ReportFactory
from tests.reports.images import image_bytes, noisy_jpeg

pytestmark = pytest.mark.django_db

CREATE = reverse("frontend:report-create")
FILED = reverse("frontend:report-filed")
INSIDE = point(1)  # Middenbuurt, BU05469001
OUTSIDE = point(10)  # 1.6 km east of the town
KEY = "test-key-0123456789abcdef"


@pytest.fixture(autouse=True)
def _clear_cache():
    """The rate limits count in the cache; every test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rates(settings):
    """Set the reports rate limits for one test: `rates(report_create="2/hour")`."""

    def set_rates(**scopes: str) -> None:
        rest = dict(settings.REST_FRAMEWORK)
        rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], **scopes}
        settings.REST_FRAMEWORK = rest

    return set_rates


def _html(response) -> str:
    return response.content.decode()


def _text(response) -> str:
    """The visible text of the main content, whitespace collapsed."""
    html = _html(response)
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()


def _check(client, **overrides):
    data = {"idempotency_key": KEY, "category": "zwerfafval", "action": "check"}
    data.update(overrides)
    return client.post(CREATE, data)


def _point(lat_lon=INSIDE):
    return {"lat": str(lat_lon[0]), "lon": str(lat_lon[1])}


def _buurt(code="BU05469001", place="Bij de brug over de gracht"):
    return {"buurt": code, "location_description": place}


def _submit(client, **overrides):
    now = timezone.localtime() - timedelta(hours=1)
    data = {
        "idempotency_key": KEY,
        "category": "zwerfafval",
        "description": "Naast de bank bij de speeltuin ligt al dagen afval.",
        "occurred_date": now.date().isoformat(),
        "occurred_time": now.strftime("%H:%M"),
        "action": "submit",
        **_point(),
    }
    data.update(overrides)
    return client.post(CREATE, {k: v for k, v in data.items() if v is not None})


def _summary_links(response) -> list[tuple[str, str]]:
    html = _html(response)
    match = re.search(r'<div id="error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', match.group(0))


def _assert_nothing_written():
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert ReportEvent.objects.count() == 0


# --- Step 1: place and category -------------------------------------------------------------


def test_create_page_offers_buurten_by_wijk_categories_by_main_and_a_fresh_key(
    client, town, categories
):
    response = client.get(CREATE)
    html = _html(response)

    assert response.status_code == 200
    assert '<optgroup label="Wijk ' in html
    assert re.search(
        r'<optgroup label="Vernieling en verloedering">\s*<option value="vandalisme', html
    )
    assert '<option value="BU05469001">Middenbuurt</option>' in html
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    assert len(key) >= 16
    second = re.search(r'name="idempotency_key" value="([^"]+)"', _html(client.get(CREATE)))
    assert second.group(1) != key
    assert 'id="report-map-block"' in html
    assert "hidden" in html
    assert "Controleer meldingen in de buurt" in html
    assert csp_audit(html).problems == []


def test_create_page_names_the_right_channel_before_anything_can_be_submitted(
    client, town, categories
):
    text = _text(client.get(CREATE))

    assert text.index("Niet hier melden") < text.index("Waar is het?")
    assert "Bel direct 112" in text
    assert "Veilig Thuis: 0800-2000" in text
    assert "politie (0900-8844" in text
    html = _html(client.get(CREATE))
    assert "Huiselijk geweld of kindermishandeling – Veilig Thuis (0800-2000)" in html


def test_check_with_map_point_shows_step_two_with_buurt_of_the_point(client, town, categories):
    response = _check(client, **_point())

    assert response.status_code == 200
    text = _text(response)
    assert "Stap 2 van 2" in text
    assert "Aangewezen op de kaart, in buurt Middenbuurt" in text
    assert "Er zijn geen open meldingen over dit onderwerp in de buurt" in text
    assert '<textarea name="description"' in _html(response)
    _assert_nothing_written()


def test_check_without_map_uses_chosen_buurt_and_description(client, town, categories):
    response = _check(client, **_buurt())

    text = _text(response)
    assert response.status_code == 200
    assert "Buurt Middenbuurt: Bij de brug over de gracht" in text
    assert 'name="buurt" value="BU05469001"' in _html(response)


@pytest.mark.parametrize(
    ("data", "anchor", "message"),
    [
        (_point(OUTSIDE), "report-location", "Deze plek ligt niet in een buurt van de gemeente"),
        ({"lat": str(INSIDE[1]), "lon": str(INSIDE[0])}, "report-location", "verwisseld"),
        ({"lat": "noord", "lon": "oost"}, "report-location", "geen geldige breedte"),
        ({}, "report-location", "Geef de plek aan op de kaart"),
        (_buurt(place=""), "id_location_description", "Beschrijf de plek"),
        (_buurt(code="BU99999999"), "id_buurt", "Kies een buurt uit de lijst"),
    ],
    ids=["outside", "swapped", "not_numbers", "nothing", "no_description", "unknown_buurt"],
)
def test_check_with_bad_place_rerenders_step_one_with_error_naming_the_location_field(
    client, town, categories, data, anchor, message
):
    response = _check(client, **data)

    assert response.status_code == 422
    assert "Stap 1 van 2" in _text(response)
    links = _summary_links(response)
    assert any(a == anchor and message in m for a, m in links), links
    html = _html(response)
    assert f'id="{anchor}"' in html
    if anchor == "report-location":
        assert 'aria-describedby="report-location-error"' in html
    else:
        assert re.search(rf'aria-invalid="true"[^>]*id="{anchor}"', html)
    _assert_nothing_written()


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("bestaat-niet", "Dit onderwerp bestaat niet (meer)"),
        ("INACTIVE", "Dit onderwerp bestaat niet (meer)"),
        ("", "Kies een onderwerp."),
    ],
)
def test_check_with_missing_or_inactive_category_names_the_category_field(
    client, town, categories, slug, message
):
    if slug == "INACTIVE":
        categories["zwerfafval"].is_active = False
        categories["zwerfafval"].save()
        slug = "zwerfafval"
    response = _check(client, category=slug, **_point())

    assert response.status_code == 422
    links = _summary_links(response)
    assert any(a == "id_category" and m.startswith(message) for a, m in links), links
    _assert_nothing_written()


@pytest.mark.parametrize(
    ("slug", "channel_text"),
    [
        ("huiselijk-geweld", "Bel Veilig Thuis: 0800-2000"),
        ("spoed", "Bel direct 112"),
        ("misdrijf", "Aangifte doet u bij de politie (0900-8844"),
    ],
)
def test_check_with_wrong_channel_category_stops_and_shows_the_right_channel(
    client, town, categories, slug, channel_text
):
    response = _check(client, category=slug, **_point())

    assert response.status_code == 422
    assert "Stap 1 van 2" in _text(response)
    assert (
        "id_category",
        "Voor dit onderwerp kunt u hier niet melden; gebruik het genoemde kanaal.",
    ) in (_summary_links(response))
    note = re.search(r'<div id="report-category-note".*?</div>\s*</div>', _html(response), re.S)
    assert "Meld dit niet hier." in note.group(0)
    assert channel_text in note.group(0)
    assert '<textarea name="description"' not in _html(response)


@pytest.mark.parametrize(
    ("slug", "channel_text"),
    [
        ("verward-gedrag", "Bel 112. Geen spoed? Meld het hier"),
        ("ondermijning-vermoeden", "Meld Misdaad Anoniem: 0800-7000"),
    ],
)
def test_check_with_category_that_also_has_a_channel_shows_it_before_the_details(
    client, town, categories, slug, channel_text
):
    response = _check(client, category=slug, **_point())

    text = _text(response)
    assert response.status_code == 200
    assert channel_text in text
    assert text.index(channel_text) < text.index("Wat is er aan de hand?")
    assert "alleen zichtbaar voor medewerkers" in text


def test_edit_returns_to_step_one_with_the_choices_kept(client, town, categories):
    response = client.post(
        CREATE, {"idempotency_key": KEY, "category": "zwerfafval", "action": "edit", **_buurt()}
    )

    html = _html(response)
    assert response.status_code == 200
    assert "Stap 1 van 2" in _text(response)
    assert '<option value="BU05469001" selected>Middenbuurt</option>' in html
    assert re.search(r'<option value="zwerfafval" selected>', html)
    assert f'value="{KEY}"' in html
    assert "error-summary" not in html


# --- Step 2: open reports nearby ------------------------------------------------------------


def test_check_lists_open_reports_nearby_with_public_information_only(client, town, categories):
    lat, lon = point(1, dx=120, dy=100)
    near = ReportFactory(
        category=categories["zwerfafval"],
        buurt=town.buurt("BU05469001"),
        lat=lat,
        lon=lon,
        description="Geheime tekst van Jan Jansen, Kerkstraat 12",
        public_description="Afval naast de bank",
        moderation=Report.Moderation.APPROVED,
        contact_email="melder@example.test",
        location_description="voor nummer 12",
        support_count=2,
    )
    pending = ReportFactory(
        category=categories["zwerfafval"],
        buurt=town.buurt("BU05469001"),
        lat=lat,
        lon=lon,
        description="Ongemodereerde tekst",
    )

    response = _check(client, **_point())

    html, text = _html(response), _text(response)
    assert f"/melden/ook-last/{near.uuid}/" in html
    assert f"/melden/ook-last/{pending.uuid}/" in html
    assert "Afval naast de bank" in text
    assert "De tekst van deze melding is (nog) niet openbaar." in text
    assert "2 mensen hebben laten weten" in text
    assert re.search(r"ongeveer \d+0 meter van de gekozen plek", text)
    for private in ("Jan Jansen", "Ongemodereerde", "melder@example.test", "voor nummer 12"):
        assert private not in html
    assert str(lat) not in html
    assert str(lon) not in html
    assert "Ik heb hier ook last van" in text


def test_check_lists_open_reports_in_the_chosen_buurt_when_no_point(client, town, categories):
    there = ReportFactory(category=categories["zwerfafval"], buurt=town.buurt("BU05469001"))
    ReportFactory(category=categories["zwerfafval"], buurt=town.buurt("BU05469000"))

    response = _check(client, **_buurt())

    html = _html(response)
    assert html.count("/melden/ook-last/") == 1
    assert f"/melden/ook-last/{there.uuid}/" in html
    assert "in dezelfde buurt" in _text(response)


def test_check_never_lists_reports_of_restricted_categories(client, town, categories):
    lat, lon = INSIDE
    ReportFactory(
        category=categories["woonoverlast"], buurt=town.buurt("BU05469001"), lat=lat, lon=lon
    )
    response = _check(client, category="woonoverlast", **_point())
    assert "/melden/ook-last/" not in _html(response)


# --- Submitting -----------------------------------------------------------------------------


def test_submit_with_map_point_files_report_and_shows_tracking_link(client, town, categories):
    response = _submit(client, contact_email="Inwoner@Example.test", contact_consent="on")

    assert response.status_code == 302
    assert response["Location"] == FILED
    report = Report.objects.get()
    assert report.buurt.code == "BU05469001"
    assert (report.lat, report.lon) == pytest.approx(INSIDE)
    assert report.source == Report.Source.WEB
    assert report.contact_email == "inwoner@example.test"
    assert report.contact_consent
    assert report.reporter is None
    assert report.idempotency_key == idempotency_key_for_domain(KEY)
    assert report.occurred_at is not None

    filed = client.get(FILED)
    token = tracking_token_for(str(report.uuid))
    assert filed.status_code == 200
    assert f"http://testserver/melding/{token}/" in _html(filed)
    assert report.reference in _text(filed)
    assert "inwoner@example.test" not in _html(filed)


def test_submit_without_map_files_report_in_chosen_buurt(client, town, categories):
    response = _submit(client, lat="", lon="", **_buurt("BU05469100", "Bij de haven"))

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.buurt.code, report.lat, report.location_description) == (
        "BU05469100",
        None,
        "Bij de haven",
    )


def test_submit_when_signed_in_links_account_and_offers_contact_via_account(
    client, town, categories
):
    user = UserFactory()
    client.force_login(user)
    step_two = _check(client, **_point())
    assert 'name="contact_email"' not in _html(step_two)
    assert "e-mailadres van mijn account" in _text(step_two)

    response = _submit(client, contact_consent="on", contact_email="other@example.test")

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reporter == user
    assert report.contact_consent is True
    assert report.contact_email == ""


def test_submit_anonymously_without_contact_is_allowed(client, town, categories):
    assert _submit(client).status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.contact_email, report.contact_consent) == (None, "", False)


@pytest.mark.parametrize(
    ("overrides", "anchor", "message"),
    [
        ({"description": "a" * 4001}, "id_description", "Gebruik hooguit 4000 tekens (nu 4001)."),
        ({"description": "   "}, "id_description", "Vul dit veld in."),
        ({"description": ""}, "id_description", "Beschrijf wat er aan de hand is."),
        (
            {"description": "Kijk <script>alert('x')</script>"},
            "id_description",
            "Gebruik gewone tekst, zonder HTML of scripts.",
        ),
        ({"contact_email": "geen-adres"}, "id_contact_email", "Dit is geen geldig e-mailadres."),
        (
            {"contact_email": "a@example.test"},
            "id_contact_consent",
            "U heeft een e-mailadres gegeven",
        ),
        ({"occurred_date": "morgen"}, "id_occurred_date", "Vul een geldige datum in"),
        ({"occurred_time": ""}, "id_occurred_time", "Vul de tijd in."),
    ],
    ids=["4001", "blank", "empty", "script", "bad_email", "no_consent", "bad_date", "no_time"],
)
def test_submit_with_bad_details_rerenders_step_two_with_errors_and_writes_nothing(
    client, town, categories, files_written, overrides, anchor, message
):
    response = _submit(client, **overrides)

    assert response.status_code == 422
    assert "Stap 2 van 2" in _text(response)
    links = _summary_links(response)
    assert any(a == anchor and m.startswith(message) for a, m in links), links
    assert re.search(rf'aria-invalid="true"[^>]*id="{anchor}"', _html(response))
    _assert_nothing_written()
    assert files_written() == set()


def test_submit_with_4000_characters_is_accepted(client, town, categories):
    assert _submit(client, description="a" * 4000).status_code == 302
    assert len(Report.objects.get().description) == 4000


def test_submit_with_script_in_text_escapes_it_on_rerender_and_never_runs_it(
    client, town, categories
):
    response = _submit(
        client, description='"><script>alert(1)</script><img src=x onerror=alert(2)>'
    )

    html = _html(response)
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert csp_audit(html).problems == []


def test_submit_with_time_in_the_future_is_refused(client, town, categories):
    later = timezone.localtime() + timedelta(days=1)
    response = _submit(
        client, occurred_date=later.date().isoformat(), occurred_time=later.strftime("%H:%M")
    )
    assert response.status_code == 422
    assert ("id_occurred_date", "Het tijdstip ligt in de toekomst.") in _summary_links(response)
    _assert_nothing_written()


def _upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_submit_with_photos_stores_reencoded_jpegs(client, town, categories, files_written):
    response = _submit(
        client,
        photos=[_upload("a.jpg", image_bytes("JPEG")), _upload("b.png", image_bytes("PNG"))],
    )
    assert response.status_code == 302
    assert ReportPhoto.objects.count() == 2
    assert len(files_written()) == 2


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        ([("virus.jpg", b"MZ\x90\x00 not an image at all")], "De foto is geen geldige"),
        ([("x.gif", image_bytes("GIF"))], "De foto is geen geldige"),
        ([(f"{i}.jpg", image_bytes("JPEG")) for i in range(4)], "U kunt maximaal 3 foto"),
        ([("big.jpg", noisy_jpeg(300))], "is te groot"),
    ],
    ids=["fake_image", "gif", "four_photos", "oversized"],
)
def test_submit_with_bad_photos_names_the_photo_field_and_writes_nothing(
    client, town, categories, files_written, settings, uploads, message
):
    settings.REPORTS_PHOTO_MAX_BYTES = 20_000
    response = _submit(client, photos=[_upload(n, d) for n, d in uploads])

    assert response.status_code == 422
    links = _summary_links(response)
    assert any(a == "id_photos" and message in m for a, m in links), links
    _assert_nothing_written()
    assert files_written() == set()


def test_submit_with_tampered_point_outside_municipality_returns_to_step_one(
    client, town, categories
):
    response = _submit(client, **_point(OUTSIDE))

    assert response.status_code == 422
    assert "Stap 1 van 2" in _text(response)
    assert ("report-location", "Deze plek ligt niet in een buurt van de gemeente.") in (
        _summary_links(response)
    )
    _assert_nothing_written()


def test_submit_with_wrong_channel_category_is_refused_even_when_step_one_is_skipped(
    client, town, categories
):
    response = _submit(client, category="huiselijk-geweld")

    assert response.status_code == 422
    assert "Bel Veilig Thuis: 0800-2000" in _text(response)
    _assert_nothing_written()


def test_replayed_post_with_same_idempotency_key_creates_one_report(client, town, categories):
    first = _submit(client)
    filed_first = _html(client.get(FILED))
    second = _submit(client)  # the browser retries, or the resident presses twice

    assert first.status_code == second.status_code == 302
    assert Report.objects.count() == 1
    token = tracking_token_for(str(Report.objects.get().uuid))
    assert f"/melding/{token}/" in filed_first
    assert f"/melding/{token}/" in _html(client.get(FILED))


def test_same_key_with_other_text_is_refused_and_a_new_key_is_issued(client, town, categories):
    _submit(client)
    response = _submit(client, description="Een heel andere melding.")

    assert response.status_code == 422
    assert any("verzendsleutel" in m for _a, m in _summary_links(response))
    new_key = re.search(r'name="idempotency_key" value="([^"]+)"', _html(response)).group(1)
    assert new_key != KEY
    assert (
        _submit(client, description="Een heel andere melding.", idempotency_key=new_key).status_code
        == 302
    )
    assert Report.objects.count() == 2


def test_submit_with_missing_or_bad_idempotency_key_is_refused(client, town, categories):
    response = _submit(client, idempotency_key="kort")
    assert response.status_code == 422
    _assert_nothing_written()


def test_filed_page_without_a_report_in_this_session_goes_to_the_form(client, db):
    response = client.get(FILED)
    assert response.status_code == 302
    assert response["Location"] == CREATE


# --- Joining ("Ik heb hier ook last van") ---------------------------------------------------


@pytest.fixture
def open_report(town, categories):
    return ReportFactory(category=categories["zwerfafval"], buurt=town.buurt("BU05469001"))


def _join(client, report):
    return client.post(reverse("frontend:report-support", kwargs={"uuid": report.uuid}))


def test_joining_anonymously_counts_once_per_device(client, open_report):
    first = _join(client, open_report)
    assert first.status_code == 302
    assert "nieuw=1" in first["Location"]
    done = client.get(first["Location"])
    assert "Bedankt, dit telt mee" in _text(done)

    again = _join(client, open_report)  # same browser: the device cookie is sent along
    assert "al=1" in again["Location"]
    assert "U had dit al laten weten" in _text(client.get(again["Location"]))

    open_report.refresh_from_db()
    assert open_report.support_count == 1 == ReportSupport.objects.count()


def test_joining_from_another_device_counts_again(client, open_report):
    _join(client, open_report)
    _join(Client(), open_report)
    open_report.refresh_from_db()
    assert open_report.support_count == 2


def test_joining_when_signed_in_counts_once_per_account(open_report):
    user = UserFactory()
    for _ in range(2):  # two browsers, one account
        browser = Client()
        browser.force_login(user)
        _join(browser, open_report)
    open_report.refresh_from_db()
    assert open_report.support_count == 1
    assert ReportSupport.objects.get().user == user


def test_joining_a_closed_report_is_refused_with_a_message(client, town, categories):
    closed = ReportFactory(
        category=categories["zwerfafval"],
        buurt=town.buurten[0],
        status=Report.Status.RESOLVED,
    )
    response = _join(client, closed)
    assert response.status_code == 409
    assert "Deze melding is al afgesloten." in _text(response)
    assert ReportSupport.objects.count() == 0


def test_joining_a_restricted_report_is_not_found(client, town, categories):
    restricted = ReportFactory(category=categories["woonoverlast"], buurt=town.buurten[0])
    assert _join(client, restricted).status_code == 404
    assert ReportSupport.objects.count() == 0


def test_joining_needs_post(client, open_report):
    url = reverse("frontend:report-support", kwargs={"uuid": open_report.uuid})
    assert client.get(url).status_code == 405


# --- Tracking -------------------------------------------------------------------------------


@pytest.fixture
def filed(client, town, categories):
    _submit(client, contact_email="melder@example.test", contact_consent="on")
    report = Report.objects.get()
    return report, tracking_token_for(str(report.uuid))


def _track(client, token):
    return client.get(reverse("frontend:report-track", kwargs={"token": token}))


def test_tracking_page_shows_status_history_public_messages_category_buurt_and_date(client, filed):
    report, token = filed
    staff = UserFactory()
    report_status_change(report=report, actor=staff, status=Report.Status.IN_PROGRESS)
    report_message_add(
        report=report, actor=staff, body="We gaan er deze week naar kijken.", public=True
    )
    report_message_add(
        report=report, actor=staff, body="Interne notitie: buurman belt vaak", public=False
    )

    response = _track(client, token)

    text = _text(response)
    assert response.status_code == 200
    assert f"Melding {report.reference}" in text
    assert "Zwerfafval en verloedering" in text
    assert "Middenbuurt" in text
    assert text.index("Nieuw") < text.index("In behandeling", text.index("Verloop"))
    assert "We gaan er deze week naar kijken." in text
    assert "Interne notitie" not in text
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_tracking_page_never_shows_personal_data(client, filed):
    report, token = filed
    user = UserFactory(email="account@example.test", display_name="Piet Melder")
    Report.objects.filter(pk=report.pk).update(reporter=user, location_description="Kerkstraat 12")

    html = _html(_track(client, token))

    for private in (
        "melder@example.test",
        "account@example.test",
        "Piet Melder",
        "Naast de bank bij de speeltuin",  # the text as written
        "Kerkstraat 12",
        str(report.lat),
        str(report.lon),
    ):
        assert private not in html


@pytest.mark.parametrize("token", ["onbekend", "x" * 32, "a" * 80])
def test_tracking_page_with_invalid_token_is_a_helpful_404(client, db, token):
    response = _track(client, token)
    assert response.status_code == 404
    assert "Deze melding kunnen we niet vinden" in _text(response)
    assert "Melding maken" in _text(response)


# --- Links to the form -----------------------------------------------------------------------


def test_home_and_main_menu_link_to_the_form(client, town):
    html = _html(client.get(reverse("frontend:home")))
    assert html.count(f'href="{CREATE}"') >= 2
    menu = _html(client.get(CREATE))
    assert re.search(rf'<a class="bs-nav__link" href="{CREATE}" aria-current="page">', menu)


# --- Rate limits (shared with the API) ------------------------------------------------------


def test_filing_more_reports_than_the_rate_limit_is_refused_and_writes_nothing(
    client, town, categories, rates
):
    rates(report_create="2/hour")
    for n in range(2):
        assert _submit(client, idempotency_key=f"{KEY}-{n}").status_code == 302

    response = _submit(client, idempotency_key=f"{KEY}-3", description="Nog een melding.")

    assert response.status_code == 429
    assert "in korte tijd veel meldingen" in _text(response)
    assert Report.objects.count() == 2


def test_the_form_and_the_api_share_one_rate_limit(client, town, categories, rates):
    rates(report_create="1/hour")
    api = client.post(
        reverse("api-v1:reports:report-create"),
        {
            "category": "zwerfafval",
            "description": "Via de API gemeld.",
            "lat": INSIDE[0],
            "lon": INSIDE[1],
        },
        content_type="application/json",
    )
    assert api.status_code == 201

    assert _submit(client).status_code == 429
    assert Report.objects.count() == 1


def test_joining_more_often_than_the_rate_limit_is_refused(client, open_report, rates):
    rates(report_support="1/hour")
    assert _join(client, open_report).status_code == 302

    other = ReportFactory(category=open_report.category, buurt=open_report.buurt)
    response = _join(client, other)

    assert response.status_code == 429
    assert "in korte tijd veel meldingen" in _text(response)
    other.refresh_from_db()
    assert other.support_count == 0

"""Public pages and the account pages in the Buurtstem layout (Django test client)."""

import gettext
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from geo.codes import AreaLevel
from geo.models import Area, AreaPopulation
from geo.services import population_import_from_csv
from participation.services import user_create, user_role_grant
from tests.frontend.html_audit import csp_audit

pytestmark = pytest.mark.django_db

HOME = reverse("frontend:home")
ACCESSIBILITY = reverse("frontend:accessibility")
PRIVACY = reverse("frontend:privacy")
LOGIN = reverse("account_login")
SIGNUP = reverse("account_signup")
PASSWORD_RESET = reverse("account_reset_password")
PASSWORD = "Buurt-wachtwoord-2026"

PUBLIC_PAGES = [HOME, ACCESSIBILITY, PRIVACY, LOGIN, SIGNUP, PASSWORD_RESET]


def _dutch_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@dataclass(frozen=True)
class PoEntry:
    context: str | None
    msgid: str
    msgid_plural: str | None
    msgstrs: list[str]


def _po_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _po_entries(po: str) -> list[PoEntry]:
    """Every entry of a .po file except the header, with escapes resolved."""
    entries = []
    for block in po.strip().split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if match := re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line):
                key = match.group(1)
                fields[key] = match.group(2)
            elif key and line.startswith('"'):
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            values = {k: _po_unescape(v) for k, v in fields.items()}
            entries.append(
                PoEntry(
                    context=values.get("msgctxt"),
                    msgid=values["msgid"],
                    msgid_plural=values.get("msgid_plural"),
                    msgstrs=[v for k, v in values.items() if k.startswith("msgstr")],
                )
            )
    return entries


def _row(html: str, code: str) -> str:
    match = re.search(rf'<tr class="bs-area-row" data-area-code="{code}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {code}"
    return match.group(1)


@pytest.fixture
def resident():
    return user_create(email="inwoner@example.test", password=PASSWORD, email_verified=True)


# --- Home -----------------------------------------------------------------------------------


def test_home_lists_every_buurt_grouped_by_wijk_when_leiden_is_loaded(client, leiden):
    response = client.get(HOME)

    assert response.status_code == 200
    html = response.content.decode()
    buurten = Area.objects.filter(level=AreaLevel.BUURT)
    assert buurten.count() == 54
    codes = re.findall(r'data-area-code="(BU\d{8})"', html)
    assert sorted(codes) == sorted(buurten.values_list("code", flat=True))
    for name in buurten.values_list("name", flat=True):
        assert f">{name}</th>".replace("'", "&#x27;") in html
    wijk_headings = re.findall(r'<h3 id="wijk-(WK\d{6})"', html)
    assert len(wijk_headings) == 10
    assert "Leiden heeft 54 buurten in 10 wijken." in html


def test_home_needs_a_fixed_number_of_queries(client, leiden, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(HOME)

    assert response.status_code == 200


def test_home_shows_inhabitants_in_dutch_number_format(client, leiden):
    population = (
        AreaPopulation.objects.filter(area__level=AreaLevel.BUURT, inhabitants__gte=1000)
        .select_related("area")
        .first()
    )

    html = client.get(HOME).content.decode()

    row = _row(html, population.area.code)
    assert f">{_dutch_number(population.inhabitants)}</td>" in row
    assert "1 januari 2024" in html


def test_home_shows_geheim_not_zero_when_cbs_suppressed_the_figure(client, leiden, tmp_path):
    # given: CBS withholds the inhabitants of one buurt in a newer year
    csv = tmp_path / "kerncijfers_2025.csv"
    csv.write_text("code,aantal_inwoners\nBU05460000,.\n", encoding="utf-8")
    population_import_from_csv(path=csv, year=2025, source="CBS test")

    # when
    html = client.get(HOME).content.decode()

    # then
    row = _row(html, "BU05460000")
    assert "geheim" in row
    assert ">0<" not in row
    assert "het CBS publiceert dit aantal niet" in html


def test_home_explains_geheim_only_when_something_is_suppressed(client, leiden):
    buurt_list = client.get(HOME).content.decode().split('id="buurt-list"', 1)[1]

    assert "geheim" not in buurt_list
    assert "onbekend" not in buurt_list


def test_home_map_points_at_the_area_api_and_the_municipality_bounds(client, leiden):
    html = client.get(HOME).content.decode()

    areas_url = re.search(r'data-areas-url="([^"]+)"', html).group(1).replace("&amp;", "&")
    collection = client.get(areas_url).json()
    assert len(collection["features"]) == 54
    bounds = json.loads(re.search(r'data-bounds="([^"]+)"', html).group(1))
    gemeente = Area.objects.get(level=AreaLevel.GEMEENTE, code="GM0546")
    assert bounds == [[gemeente.min_lat, gemeente.min_lon], [gemeente.max_lat, gemeente.max_lon]]
    assert 'data-code-prefix="BU0546"' in html
    assert 'role="region"' in html
    assert 'aria-label="Kaart van de buurten in Leiden"' in html
    assert 'href="#buurt-list"' in html  # the map can be skipped
    for asset in ("leaflet/leaflet.js", "leaflet/leaflet.css", "frontend/js/area-map.js"):
        assert finders.find(asset), asset
        assert f"/static/{asset}" in html


def test_home_adds_a_tile_layer_only_when_a_tile_url_is_configured(client, leiden, settings):
    assert "data-tile-url" not in client.get(HOME).content.decode()

    settings.MAP_TILE_URL = "https://tiles.example.nl/{z}/{x}/{y}.png"

    html = client.get(HOME).content.decode()
    assert 'data-tile-url="https://tiles.example.nl/{z}/{x}/{y}.png"' in html


def test_home_tells_admins_how_to_load_areas_when_there_are_none(client):
    response = client.get(HOME)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Er zijn nog geen buurten geladen" in html
    assert "manage.py import_areas" in html
    assert "manage.py seed_demo" in html
    assert 'id="area-map"' not in html
    assert "leaflet" not in html


# --- Layout ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_has_skip_link_main_landmark_and_language_switch(client, url):
    html = client.get(url).content.decode()

    body = html.split("<body", 1)[1]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#main-content"' in first_link
    assert "Naar de inhoud" in body
    assert '<main id="main-content"' in html
    assert '<html lang="nl">' in html
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="en"' in html
    assert reverse("frontend:accessibility") in html  # footer link
    assert "CC BY 4.0" in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_csp_header_is_strict_and_pages_contain_no_inline_code(client, url):
    response = client.get(url)

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    findings = csp_audit(response.content.decode())
    assert findings.problems == []
    for src in findings.external_scripts:
        assert src.startswith("/static/"), src


def test_csp_audit_detects_what_the_policy_would_block():
    html = (
        '<script>alert(1)</script><script nonce="abc">ok()</script>'
        '<script type="application/json">{"a": 1}</script><script src="/static/a.js"></script>'
        '<style>p{}</style><p style="color:red" onclick="x()">x</p><a href="javascript:x()">x</a>'
    )

    findings = csp_audit(html)

    assert findings.inline_scripts == ["alert(1)"]
    assert findings.external_scripts == ["/static/a.js"]
    assert findings.style_elements == 1
    assert findings.style_attributes == ["p"]
    assert findings.event_handlers == ["p[onclick]"]
    assert findings.javascript_urls == ["a"]


def test_anonymous_visitor_sees_login_and_signup_but_no_staff_link(client):
    html = client.get(HOME).content.decode()

    assert f'href="{LOGIN}"' in html
    assert f'href="{SIGNUP}"' in html
    assert reverse("frontend:staff-home") not in html
    assert reverse("account_logout") not in html


def test_signed_in_resident_gets_a_logout_form_but_no_staff_link(client, resident):
    client.force_login(resident)

    html = client.get(HOME).content.decode()

    assert re.search(
        rf'<form [^>]*action="{reverse("account_logout")}" method="post">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )
    assert f'href="{LOGIN}"' not in html
    assert reverse("frontend:staff-home") not in html


def test_staff_member_sees_the_beheer_link(client, resident):
    user_role_grant(user=resident, role_key="policy_staff", granted_by=None)
    client.force_login(resident)

    html = client.get(HOME).content.decode()

    assert f'href="{reverse("frontend:staff-home")}"' in html
    assert ">Beheer</a>" in html


def test_current_page_is_marked_in_the_navigation(client):
    html = client.get(ACCESSIBILITY).content.decode()

    assert re.search(rf'href="{ACCESSIBILITY}" aria-current="page"', html)
    assert not re.search(rf'href="{HOME}" aria-current="page"', html)


# --- Language -------------------------------------------------------------------------------


def test_switching_to_english_translates_the_pages(client, leiden):
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert response.status_code == 302
    assert response["Location"] == HOME

    html = client.get(HOME).content.decode()

    assert '<html lang="en">' in html
    assert "How safe does your neighbourhood feel?" in html
    assert "Skip to main content" in html
    assert "Hoe veilig voelt uw buurt?" not in html
    population = AreaPopulation.objects.filter(inhabitants__gte=1000).first()
    assert f"{population.inhabitants:,}" in html  # English number format

    statement = client.get(ACCESSIBILITY).content.decode()
    assert "Accessibility statement" in statement
    assert "Partially compliant" in statement


def test_english_catalog_is_complete_and_compiled():
    locale = Path(__file__).resolve().parents[2] / "frontend" / "locale" / "en" / "LC_MESSAGES"
    po = (locale / "django.po").read_text(encoding="utf-8")
    with (locale / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    entries = _po_entries(po)

    assert len(entries) > 100
    assert "#, fuzzy" not in po
    assert [e.msgid for e in entries if not all(e.msgstrs)] == []
    stale = []
    for entry in entries:
        prefix = f"{entry.context}\x04" if entry.context else ""
        if entry.msgid_plural:
            got = [compiled.ngettext(prefix + entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        else:
            got = [compiled.gettext(prefix + entry.msgid)]
        if got != entry.msgstrs:
            stale.append(entry.msgid)
    assert stale == [], "django.mo is out of date: run compilemessages"


# --- Static pages ---------------------------------------------------------------------------


def test_accessibility_statement_states_status_standard_and_contact(client):
    response = client.get(ACCESSIBILITY)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<h1 id="statement-title">Toegankelijkheidsverklaring</h1>', html)
    assert "Voldoet gedeeltelijk" in html
    assert "WCAG 2.1" in html
    assert "EN 301 549" in html
    assert "axe-core" in html
    assert "Kaart overslaan" in html  # known limitation: the map, and its alternative
    assert "Loopt u tegen een probleem aan?" in html
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)


def test_privacy_page_lists_the_cookies_in_use(client, settings):
    html = client.get(PRIVACY).content.decode()

    for cookie in (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        "buurtstem_device",
        "bs_survey_device",
        "bs_survey_resume",
    ):
        assert f"<code>{cookie}</code>" in html
    assert "geen externe kaartdienst" in html


# --- Account pages (allauth) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        (LOGIN, "Inloggen"),
        (SIGNUP, "Account aanmaken"),
        (PASSWORD_RESET, "Nieuw wachtwoord aanvragen"),
    ],
)
def test_account_entrance_pages_render_in_the_site_layout(client, url, heading):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/frontend/css/buurtstem.css" in html
    assert "bs-layout--narrow" in html
    assert re.search(rf"<h1>\s*{heading}\s*</h1>", html)
    assert re.search(rf"<title>\s*{heading}\s*– Buurtstem</title>", html)
    assert 'class="utrecht-form-field' in html
    assert 'class="utrecht-button utrecht-button--primary-action" type="submit"' in html
    # Every visible input has a label; placeholders are not used as labels.
    for input_id in re.findall(r'<input type="(?:email|password|text)"[^>]* id="([^"]+)"', html):
        assert f'<label for="{input_id}">' in html


def test_account_pages_address_the_visitor_formally(client):
    html = client.get(LOGIN).content.decode()

    assert "Heeft u nog geen account?" in html
    assert "Als je nog geen account hebt" not in html


def test_login_failure_is_reported_in_an_alert(client, resident):
    response = client.post(LOGIN, {"login": resident.email, "password": "fout-wachtwoord"})

    assert response.status_code == 200
    html = response.content.decode()
    alert = re.search(
        r'<div class="[^"]*utrecht-alert--error[^"]*" role="alert">(.*?)</div>', html, re.S
    )
    assert alert
    assert "Het e-mailadres of het wachtwoord is niet juist." in alert.group(1)


def test_signup_field_errors_are_linked_to_their_inputs(client):
    response = client.post(
        SIGNUP,
        {"email": "nieuw@example.test", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_password2_error"' in html
    field = re.search(r'<input type="password" name="password2"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert "id_password2_error" in re.search(r'aria-describedby="([^"]*)"', field).group(1)
    assert "utrecht-form-field--invalid" in html


@pytest.mark.parametrize("url_name", ["account_email", "account_change_password", "mfa_index"])
def test_account_management_pages_show_the_account_menu(client, resident, url_name):
    client.force_login(resident)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert "bs-layout--sidebar" in html
    assert '<nav class="bs-account-nav" aria-label="Mijn account">' in html
    assert re.search(rf'href="{reverse(url_name)}" aria-current="page"', html)
    assert csp_audit(html).problems == []

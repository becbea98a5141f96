# ruff: noqa: F811 (fixtures imported from other test modules)
"""Reports per 1,000 inhabitants on pages and in the API: the staff analysis (exact, policy
staff and administrators), its CSV, the wijkraad summary (published figures, own areas only)
and /api/v1/reports/staff/rates/. Permissions as a matrix of roles."""

import csv
import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from geo.codes import AreaLevel
from geo.models import Area
from tests.frontend.html_audit import csp_audit
from tests.geo.factories import AreaFactory
from tests.participation.conftest import _clear_cache  # noqa: F401 (fixture)
from tests.participation.factories import WijkraadFactory, WijkraadMembershipFactory
from tests.participation.helpers import TEST_TOTP_SECRET, force_login_with_mfa
from tests.reports.conftest import categories, role_user, town  # noqa: F401 (fixtures)
from tests.reports.test_analysis import populated, reported  # noqa: F401 (fixtures)
from tests.surveys.weighting_helpers import gemeente_and_wijk_1, young_and_old

pytestmark = pytest.mark.django_db

RATES = reverse("frontend:staff-analysis-rates")
RATES_CSV = reverse("frontend:staff-analysis-rates-csv")
API = reverse("api-v1:reports:staff-rates")
LOGIN = reverse("account_login")
PERIOD = "van=2026-01-01&tot=2026-06-30"
NON_STAFF = ("resident", "panel_member", "wijkraad_member")
STAFF = ("policy_staff", "moderator", "administrator")
ALLOWED = {"policy_staff", "administrator"}


@pytest.fixture
def client_as(client, role_user):
    def sign_in(role: str):
        user = role_user(role)
        if role in STAFF:
            TOTP.activate(user, TEST_TOTP_SECRET)
            force_login_with_mfa(client, user)
        elif role != "anonymous":
            client.force_login(user)
        client.user = user
        return client

    return sign_in


@pytest.fixture
def wijkraad(reported, town):
    """A wijkraad for wijk WK054690 (Noord- and Middenbuurt)."""
    return WijkraadFactory(
        name="Wijkraad Noord", slug="wijkraad-noord", areas=[town.buurten[0].parent]
    )


@pytest.mark.parametrize("url", [RATES, RATES_CSV])
@pytest.mark.parametrize("role", ["anonymous", *NON_STAFF, *STAFF])
def test_staff_analysis_permission_matrix(client_as, reported, role, url):
    response = client_as(role).get(url)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")
    else:
        assert response.status_code == (200 if role in ALLOWED else 403)


@pytest.mark.parametrize("role", ["anonymous", *NON_STAFF, *STAFF])
def test_rates_api_permission_matrix(client_as, reported, role):
    response = client_as(role).get(API)
    assert response.status_code == (200 if role in ALLOWED else 403)


def test_staff_page_shows_exact_figures_per_wijk_veld_and_year(client_as, reported):
    response = client_as("policy_staff").get(f"{RATES}?{PERIOD}")

    html = response.content.decode()
    assert response.status_code == 200
    assert "WK054690" in html
    assert "WK054691" in html
    assert ">13<" in html  # exact: wijk 90
    assert ">3,2<" in html  # 13 per 4,000
    assert ">3<" in html  # exact small count, not "<5"
    assert "Per veiligheidsveld" in html
    assert "Per jaar" in html
    assert "Zonder vertrouwelijke categorieën." in html
    assert csp_audit(html).problems == []


def test_staff_page_per_buurt_says_why_a_rate_is_missing(client_as, reported):
    html = client_as("administrator").get(f"{RATES}?{PERIOD}&niveau=buurt").content.decode()
    assert "BU05469101" in html
    assert "alleen water" in html
    assert "Inclusief vertrouwelijke categorieën." in html  # administrators may see them


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("van=2026-06-01&tot=2026-01-01", "tot", "De laatste dag ligt vóór de eerste dag"),
        ("van=2020-01-01&tot=2026-01-01", "van", "hooguit drie jaar"),
        ("tot=2099-01-01", "tot", "in de toekomst"),
        ("van=gisteren", "van", "Voer een geldige datum in"),
        ("niveau=provincie", "niveau", "Selecteer een geldige keuze"),
        ("thema=bestaat-niet", "thema", "Selecteer een geldige keuze"),
    ],
)
def test_bad_filters_are_form_errors_named_at_the_field(client_as, reported, query, field, message):
    response = client_as("policy_staff").get(f"{RATES}?{query}")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert f'href="#id_{field}"' in html
    assert message in html
    assert "Per veiligheidsveld" not in html


def test_csv_has_one_row_per_area_and_the_gemeente(client_as, reported):
    response = client_as("policy_staff").get(f"{RATES_CSV}?{PERIOD}")

    assert response["Content-Type"].startswith("text/csv")
    assert "meldingen-per-1000-wijk-2026-01-01-2026-06-30.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_code = {row["code"]: row for row in rows}
    assert set(by_code) == {"WK054690", "WK054691", "GM0546"}
    assert by_code["WK054690"]["meldingen_2026-01-01_2026-06-30"] == "13"
    assert by_code["WK054690"]["per_1000"] == "3.2"
    assert by_code["WK054690"]["per_1000_vorige_periode"] == "1.0"


def test_csv_refuses_bad_filters_with_the_field(client_as, reported):
    response = client_as("policy_staff").get(f"{RATES_CSV}?van=2026-06-01&tot=2026-01-01")
    assert response.status_code == 400
    assert "De laatste dag ligt vóór de eerste dag" in response.content.decode()


def test_api_returns_exact_rates_and_names_bad_fields(client_as, reported):
    client = client_as("policy_staff")

    body = client.get(f"{API}?from=2026-01-01&to=2026-06-30").json()
    rows = {row["code"]: row for row in body["rows"]}
    assert rows["WK054690"]["current"] == {"reports": 13, "people": 25, "rate": 3.2}
    assert rows["WK054690"]["change"] == 2.2
    assert body["total"]["code"] == "GM0546"
    assert body["previous_to"] == "2025-12-31"
    assert body["includes_confidential"] is False

    for query, field in [
        ("from=2026-06-01&to=2026-01-01", "to"),
        ("to=2099-01-01", "to"),
        ("from=2020-01-01&to=2026-01-01", "from"),
        ("level=provincie", "level"),
    ]:
        response = client.get(f"{API}?{query}")
        assert response.status_code == 400, query
        assert field in response.json(), query


# --- Wijkraden ---------------------------------------------------------------------------------


def _summary(wijkraad):
    return reverse("frontend:wijkraad-summary", args=[wijkraad.slug])


def test_a_member_sees_published_figures_of_the_own_areas_only(client, wijkraad, role_user):
    member = role_user("resident")
    WijkraadMembershipFactory(user=member, wijkraad=wijkraad)
    client.force_login(member)

    response = client.get(f"{_summary(wijkraad)}?{PERIOD}")

    html = response.content.decode()
    assert response.status_code == 200
    assert "BU05469000" in html
    assert "BU05469001" in html
    assert "BU05469100" not in html  # wijk 91 is not theirs
    assert ">15<" in html  # 13 rounded to 5
    assert ">13<" not in html
    assert "&lt;5" in html  # the 4 reports of the period before
    assert "vertrouwelijke categorieën" in html
    assert csp_audit(html).problems == []


@pytest.mark.parametrize("who", ["resident", "other_wijkraad", "policy_staff"])
def test_others_cannot_open_a_wijkraad_summary(client_as, wijkraad, who):
    # "other_wijkraad": a member of another wijkraad
    client = client_as("wijkraad_member" if who == "other_wijkraad" else who)
    assert client.get(_summary(wijkraad)).status_code == 404


def test_anonymous_is_asked_to_sign_in(client, wijkraad):
    response = client.get(_summary(wijkraad))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


def test_the_list_leads_to_the_only_wijkraad_or_lists_several(client, wijkraad, role_user):
    member = role_user("resident")
    WijkraadMembershipFactory(user=member, wijkraad=wijkraad)
    client.force_login(member)
    assert client.get(reverse("frontend:wijkraad-list"))["Location"] == _summary(wijkraad)

    second = WijkraadFactory(name="Wijkraad Haven", slug="wijkraad-haven")
    WijkraadMembershipFactory(user=member, wijkraad=second)
    html = client.get(reverse("frontend:wijkraad-list")).content.decode()
    assert "Wijkraad Noord" in html
    assert "Wijkraad Haven" in html


def test_an_inactive_wijkraad_is_closed(client, wijkraad, role_user):
    member = role_user("resident")
    WijkraadMembershipFactory(user=member, wijkraad=wijkraad)
    wijkraad.is_active = False
    wijkraad.save()
    client.force_login(member)
    assert client.get(_summary(wijkraad)).status_code == 404


def test_a_wijkraad_sees_the_survey_indicators_of_its_own_wijken(client, role_user):
    buurten = [
        AreaFactory(code="BU05469000", col=0),
        AreaFactory(code="BU05469001", col=1),
        AreaFactory(code="BU05469100", col=2),
    ]
    gemeente_and_wijk_1()
    young_and_old(buurten)
    wijk = Area.objects.get(code="WK054690", level=AreaLevel.WIJK)
    other = WijkraadFactory(name="Wijkraad Haven", slug="wijkraad-haven", areas=[buurten[2]])
    mine = WijkraadFactory(name="Wijkraad Noord", slug="wijkraad-noord", areas=[wijk])
    member = role_user("resident")
    WijkraadMembershipFactory(user=member, wijkraad=mine)
    WijkraadMembershipFactory(user=member, wijkraad=other)
    client.force_login(member)

    html = client.get(
        reverse("frontend:wijkraad-summary", args=["wijkraad-noord"])
    ).content.decode()
    assert "Wat inwoners zeggen in de buurtenquête" in html
    assert "(WK054690)" in html
    assert "Gewogen naar de CBS-kerncijfers van 2024" in html
    assert "50 %" in html  # I1, weighted
    assert csp_audit(html).problems == []

    # the other wijkraad (a buurt of wijk 91, without respondents) sees no wijk 90 figures
    html = client.get(
        reverse("frontend:wijkraad-summary", args=["wijkraad-haven"])
    ).content.decode()
    assert "(WK054690)" not in html

# ruff: noqa: F811 (fixtures imported from other test modules)
"""/beheer/vragenlijsten/trend/ and /api/v1/surveys/staff/trends/: the indicator trend
between two survey waves, for roles that may see survey results."""

import pytest
from django.urls import reverse

from tests.frontend.html_audit import csp_audit
from tests.frontend.test_analysis_pages import client_as  # noqa: F401 (fixture)
from tests.participation.conftest import _clear_cache  # noqa: F401 (fixture)
from tests.reports.conftest import role_user  # noqa: F401 (fixture)
from tests.surveys.conftest import buurten  # noqa: F401 (fixture)
from tests.surveys.test_trends import wave

pytestmark = pytest.mark.django_db

PAGE = reverse("frontend:staff-survey-trend")
API = "/api/v1/surveys/staff/trends/"
ROLES = (
    "anonymous",
    "resident",
    "panel_member",
    "wijkraad_member",
    "policy_staff",
    "moderator",
    "administrator",
)


@pytest.fixture
def waves(buurten):
    before = wave(buurten, feel=lambda i: "nooit", mark=7)
    after = wave(buurten, feel=lambda i: "vaak" if i < 12 else "nooit", mark=7)
    return before, after


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_as, waves, role):
    before, after = waves
    client = client_as(role)
    page = client.get(PAGE)
    api = client.get(API, {"before": before.survey.slug, "after": after.survey.slug})
    allowed = role in ("policy_staff", "administrator")
    if role == "anonymous":
        assert page.status_code == 302
    else:
        assert page.status_code == (200 if allowed else 403)
    assert api.status_code == (200 if allowed else 403)


def test_the_page_compares_the_two_latest_waves_by_default(client_as, waves):
    html = client_as("policy_staff").get(PAGE).content.decode()
    assert "I1 Voelt zich wel eens onveilig" in html
    assert "+60" in html
    assert "<strong>ja</strong>" in html
    assert csp_audit(html).problems == []


def test_the_same_wave_twice_is_a_form_error(client_as, waves):
    before, _after = waves
    response = client_as("policy_staff").get(PAGE, {"voor": before.pk, "na": before.pk})
    html = response.content.decode()
    assert 'href="#id_na"' in html
    assert "Kies twee verschillende metingen" in html
    assert "Aantoonbaar?" not in html


def test_the_api_returns_the_rows_and_names_bad_fields(client_as, waves):
    before, after = waves
    client = client_as("administrator")
    body = client.get(API, {"before": before.survey.slug, "after": after.survey.slug}).json()
    i1 = next(row for row in body["rows"] if row["code"] == "I1")
    assert (i1["before"]["value"], i1["after"]["value"], i1["change"]) == (0.0, 60.0, 60.0)
    assert i1["significant"] is True
    assert body["comparable_weighting"] is True

    same = client.get(API, {"before": before.survey.slug, "after": before.survey.slug})
    assert same.status_code == 400
    assert "after" in same.json()
    missing = client.get(API, {"before": before.survey.slug})
    assert missing.status_code == 400
    assert "after" in missing.json()
    unknown = client.get(API, {"before": "bestaat-niet", "after": after.survey.slug})
    assert unknown.status_code == 404
    bad_version = client.get(
        API, {"before": before.survey.slug, "before_version": 9, "after": after.survey.slug}
    )
    assert bad_version.status_code == 400

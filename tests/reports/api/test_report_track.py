"""GET /api/v1/reports/track/<token>/: what the holder of a tracking link sees."""

import pytest
from django.urls import reverse

from reports.models import Report
from reports.services import report_message_add, report_status_change
from tests.reports.api.conftest import REPORTER_EMAIL, SECRET_TEXT

pytestmark = pytest.mark.django_db


def _url(token: str) -> str:
    return f"/api/v1/reports/track/{token}/"


def test_url_is_stable_when_reversed():
    assert reverse("api-v1:reports:report-track", kwargs={"token": "abc"}) == _url("abc")


def test_track_shows_status_category_buurt_and_dates(api_client, file_report):
    # given
    intake = file_report()

    # when
    response = api_client.get(_url(intake.tracking_token))

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == intake.report.reference
    assert (body["status"], body["open_or_closed"]) == ("nieuw", "open")
    assert body["category"] == {"slug": "zwerfafval", "name": "Zwerfafval en verloedering"}
    assert body["buurt_name"] == "Pieterswijk"
    assert body["created_on"]
    assert body["closed_on"] is None
    assert body["messages"] == []


def test_track_shows_public_messages_but_never_internal_notes(api_client, file_report, make_user):
    # given
    intake = file_report()
    staff = make_user("policy_staff")
    report_message_add(report=intake.report, actor=staff, body="Interne notitie X", public=False)
    report_status_change(
        report=intake.report, actor=staff, status="afgehandeld", message="Opgeruimd, dank!"
    )

    # when
    body = api_client.get(_url(intake.tracking_token)).json()

    # then
    assert [m["body"] for m in body["messages"]] == ["Opgeruimd, dank!"]
    assert (body["status"], body["open_or_closed"]) == ("afgehandeld", "closed")
    assert body["closed_on"] is not None
    assert "Interne notitie X" not in str(body)


def test_track_never_shows_personal_data_text_or_exact_location(api_client, file_report):
    # given
    intake = file_report(
        description=SECRET_TEXT, contact_email=REPORTER_EMAIL, contact_consent=True
    )

    # when
    response = api_client.get(_url(intake.tracking_token))

    # then
    content = response.content.decode()
    assert REPORTER_EMAIL not in content
    assert "Jan Jansen" not in content
    assert str(intake.report.lat) not in content
    assert not {"lat", "lon", "description", "contact_email", "location_description"} & set(
        response.json()
    )


@pytest.mark.parametrize("token", ["onbekend-token", "x" * 65, "a" * 32])
def test_track_returns_404_for_an_unknown_token(api_client, file_report, token):
    # given
    file_report()

    # when
    response = api_client.get(_url(token))

    # then
    assert response.status_code == 404
    assert Report.objects.count() == 1

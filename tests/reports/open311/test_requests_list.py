"""GET /open311/v2/requests.{xml,json}: public reports as Open311 service requests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from geo.grid import cell_centre_wgs84
from reports.models import Report
from reports.services import report_moderate, report_status_change
from tests.reports.api.conftest import SECRET_TEXT, VREEWIJK
from tests.reports.open311.conftest import BASE, json_errors, xml_errors, xml_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_cell_published(settings):
    """This module tests the list's content, filters and format: a cell of one report is
    listed here. The cell rule itself is tested in tests/reports/test_public_cell_rule.py."""
    settings.REPORTS_PUBLIC_MIN_COUNT = 1


URL = f"{BASE}/requests"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def _ids(response) -> list[str]:
    return [r["service_request_id"] for r in response.json()]


def _age(report: Report, days: int) -> None:
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_list_json_shows_public_requests_with_blurred_location_and_no_text_until_moderated(
    api_client, file_report
):
    # given
    report = file_report(description=SECRET_TEXT).report

    # when
    response = api_client.get(f"{URL}.json")

    # then
    assert response.status_code == 200
    [row] = response.json()
    assert list(row) == REQUEST_FIELDS
    lat, lon = cell_centre_wgs84(report.grid_x, report.grid_y)
    assert row["service_request_id"] == report.reference
    assert (row["status"], row["service_code"], row["description"]) == ("open", "zwerfafval", "")
    assert (row["lat"], row["long"]) == (lat, lon)
    assert row["address"] == "Pieterswijk"
    assert row["requested_datetime"].endswith(("+01:00", "+02:00"))
    assert row["media_url"] is None


def test_list_shows_moderated_text_and_closed_status(api_client, file_report, make_user):
    # given
    report = file_report(description=SECRET_TEXT).report
    moderator = make_user("moderator")
    report_moderate(report=report, actor=moderator, decision="redacted", public_text="Afval.")
    report_status_change(
        report=report, actor=moderator, status="doorgestuurd", partner="handhaving"
    )

    # when
    [row] = api_client.get(f"{URL}.json").json()

    # then
    assert (row["status"], row["description"]) == ("closed", "Afval.")
    assert row["agency_responsible"] == "handhaving / BOA"
    assert row["updated_datetime"] is not None


def test_list_never_contains_restricted_or_confidential_requests(api_client, file_report):
    # given
    file_report(category_slug="woonoverlast")
    file_report(category_slug="ondermijning-vermoeden")

    # when / then
    assert api_client.get(f"{URL}.json").json() == []


def test_list_xml_conforms(api_client, file_report):
    # given
    file_report()
    file_report(category_slug="vandalisme-graffiti")

    # when
    root = xml_of(api_client.get(f"{URL}.xml"))

    # then
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert len(requests) == 2
    for request in requests:
        assert [child.tag for child in request] == REQUEST_FIELDS
        for required in ("service_request_id", "status", "service_code", "requested_datetime"):
            assert request.findtext(required)
        assert request.findtext("status") in {"open", "closed"}
        float(request.findtext("lat"))
        float(request.findtext("long"))


def test_xml_escapes_text_properly(api_client, file_report, make_user):
    # given
    report = file_report().report
    report_moderate(
        report=report,
        actor=make_user("moderator"),
        decision="redacted",
        public_text='Afval & glas bij "De Put" > 3 zakken',
    )

    # when
    root = xml_of(api_client.get(f"{URL}.xml"))

    # then
    assert root.find("request").findtext("description") == 'Afval & glas bij "De Put" > 3 zakken'


def test_status_filter_maps_the_workflow_to_open_and_closed(api_client, file_report, make_user):
    # given
    staff = make_user("policy_staff")
    new = file_report(description="nieuw").report
    busy = file_report(description="bezig").report
    done = file_report(description="klaar").report
    report_status_change(report=busy, actor=staff, status="in_behandeling")
    report_status_change(report=done, actor=staff, status="afgehandeld")

    # when / then
    assert set(_ids(api_client.get(f"{URL}.json", {"status": "open"}))) == {
        new.reference,
        busy.reference,
    }
    assert _ids(api_client.get(f"{URL}.json", {"status": "closed"})) == [done.reference]
    assert len(_ids(api_client.get(f"{URL}.json", {"status": "open,closed"}))) == 3


def test_service_code_filter(api_client, file_report):
    # given
    file_report()
    graffiti = file_report(category_slug="vandalisme-graffiti").report

    # when / then
    assert _ids(api_client.get(f"{URL}.json", {"service_code": "vandalisme-graffiti"})) == [
        graffiti.reference
    ]


def test_service_request_id_overrides_the_other_filters(api_client, file_report):
    # given
    a = file_report().report
    b = file_report(lat=VREEWIJK[0], lon=VREEWIJK[1]).report
    _age(b, 200)

    # when
    response = api_client.get(
        f"{URL}.json",
        {"service_request_id": f"{a.reference},{b.reference}", "status": "closed"},
    )

    # then
    assert set(_ids(response)) == {a.reference, b.reference}


def test_default_window_is_the_last_90_days(api_client, file_report):
    # given
    recent = file_report().report
    old = file_report(description="oud").report
    _age(old, 120)

    # when / then
    assert _ids(api_client.get(f"{URL}.json")) == [recent.reference]


def test_date_filters_select_by_requested_datetime(api_client, file_report):
    # given
    recent = file_report().report
    old = file_report(description="oud").report
    _age(old, 120)
    start = (timezone.now() - timedelta(days=150)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()

    # when / then
    assert _ids(api_client.get(f"{URL}.json", {"start_date": start, "end_date": end})) == [
        old.reference
    ]
    assert _ids(api_client.get(f"{URL}.json", {"start_date": start})) == [old.reference]
    assert recent.reference in _ids(
        api_client.get(f"{URL}.json", {"end_date": timezone.now().isoformat()})
    )


def test_an_unencoded_plus_in_the_offset_is_accepted(api_client, file_report):
    # given
    report = file_report().report
    day = timezone.localdate().isoformat()

    # when
    response = api_client.get(f"{URL}.json?start_date={day}T00:00:00+01:00")

    # then
    assert response.status_code == 200
    assert _ids(response) == [report.reference]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-03-01", "end_date": "2026-02-01"}, "end_date"),
        ({"start_date": "gisteren"}, "start_date"),
        ({"status": "half"}, "status"),
        ({"service_code": "Geen Code!"}, "service_code"),
        ({"page_size": "1001"}, "page_size"),
        ({"page": "0"}, "page"),
    ],
)
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_bad_filters_return_a_spec_shaped_400(api_client, cats, params, parameter, fmt):
    # given / when
    response = api_client.get(f"{URL}.{fmt}", params)

    # then
    assert response.status_code == 400
    if fmt == "xml":
        code, description = xml_errors(response)[0]
    else:
        error = json_errors(response)[0]
        code, description = error["code"], error["description"]
    assert str(code) == "400"
    assert description.startswith(f"{parameter}:")


def test_exactly_90_days_is_allowed(api_client, cats):
    # given / when
    response = api_client.get(
        f"{URL}.json", {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"}
    )

    # then
    assert response.status_code == 200


def test_page_and_page_size_extension(api_client, file_report):
    # given
    reports = [file_report(description=f"Melding {i}").report for i in range(3)]
    newest_first = [r.reference for r in reversed(reports)]

    # when
    first = _ids(api_client.get(f"{URL}.json", {"page_size": 2}))
    second = _ids(api_client.get(f"{URL}.json", {"page_size": 2, "page": 2}))

    # then
    assert first + second == newest_first


def test_list_needs_a_fixed_number_of_queries(
    api_client, file_report, django_assert_max_num_queries
):
    # given
    for i in range(5):
        file_report(description=f"Melding {i}")

    # when / then
    with django_assert_max_num_queries(1):
        assert api_client.get(f"{URL}.xml").status_code == 200

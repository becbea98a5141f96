"""GET /open311/v2/services.{xml,json}: report categories as Open311 services."""

import pytest
from django.urls import reverse

from reports.models import ReportCategory
from tests.reports.open311.conftest import BASE, xml_of

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]


def test_url_is_stable_when_reversed():
    assert reverse("open311:service-list", kwargs={"fmt": "json"}) == f"{BASE}/services.json"


def test_services_are_the_active_leaf_categories_that_accept_reports(api_client, cats):
    # given / when
    response = api_client.get(f"{BASE}/services.json")

    # then
    assert response.status_code == 200
    codes = [s["service_code"] for s in response.json()]
    assert "zwerfafval" in codes
    assert "woonoverlast" in codes  # restricted categories accept reports (never listed later)
    assert not {"spoed", "misdrijf", "huiselijk-geweld"} & set(codes)  # redirect only
    assert not {"verloedering", "overlast-personen", "criminaliteit"} & set(codes)  # main
    expected = [
        c.slug
        for c in ReportCategory.objects.order_by("position", "name")
        if c.parent_id and c.accepts_reports
    ]
    assert codes == expected


def test_service_fields_group_by_veiligheidsveld(api_client, cats):
    # given
    litter = cats["zwerfafval"]
    veld = litter.theme.parent

    # when
    service = next(
        s
        for s in api_client.get(f"{BASE}/services.json").json()
        if s["service_code"] == "zwerfafval"
    )

    # then
    assert list(service) == SERVICE_FIELDS
    assert service == {
        "service_code": "zwerfafval",
        "service_name": "Zwerfafval en verloedering",
        "description": "",
        "metadata": False,
        "type": "realtime",
        "keywords": f"Vernieling en verloedering, {litter.theme.name}",
        "group": veld.name,
    }


def test_services_leave_out_inactive_categories_and_children_of_inactive_ones(api_client, cats):
    # given
    ReportCategory.objects.filter(slug__in=["zwerfafval", "verkeer"]).update(is_active=False)

    # when
    codes = {s["service_code"] for s in api_client.get(f"{BASE}/services.json").json()}

    # then
    assert not {"zwerfafval", "te-hard-rijden", "verkeersonveilige-situatie"} & codes
    assert "vandalisme-graffiti" in codes


def test_services_xml_conforms(api_client, cats):
    # given / when
    root = xml_of(api_client.get(f"{BASE}/services.xml"))

    # then
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == len(api_client.get(f"{BASE}/services.json").json())
    for service in services:
        assert [child.tag for child in service] == SERVICE_FIELDS
        assert service.findtext("service_code")
        assert service.findtext("metadata") == "false"
        assert service.findtext("type") == "realtime"


def test_service_names_follow_the_language(api_client, cats):
    # given / when
    services = api_client.get(f"{BASE}/services.json", headers={"Accept-Language": "en"}).json()

    # then
    litter = next(s for s in services if s["service_code"] == "zwerfafval")
    assert litter["service_name"] == "Litter and neglect"


def test_services_need_few_queries(api_client, cats, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert api_client.get(f"{BASE}/services.xml").status_code == 200

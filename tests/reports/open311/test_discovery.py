"""GET /open311/v2/discovery.{xml,json}: the service discovery document."""

import pytest
from django.urls import reverse

from tests.reports.open311.conftest import BASE, xml_of

pytestmark = pytest.mark.django_db


def test_url_is_stable_when_reversed():
    assert reverse("open311:discovery", kwargs={"fmt": "xml"}) == f"{BASE}/discovery.xml"


def test_discovery_json_announces_the_endpoint_and_both_formats(api_client):
    # given / when
    response = api_client.get(f"{BASE}/discovery.json")

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_xml_has_the_spec_elements(api_client):
    # given / when
    root = xml_of(api_client.get(f"{BASE}/discovery.xml"))

    # then
    assert root.tag == "discovery"
    for tag in ("changeset", "contact", "key_service"):
        assert root.findtext(tag)
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_suffix_decides_the_format_even_when_accept_asks_for_another(api_client):
    # given / when
    response = api_client.get(f"{BASE}/discovery.xml", headers={"Accept": "application/json"})

    # then
    assert response.status_code == 200
    assert xml_of(response).tag == "discovery"


def test_unknown_format_is_not_found(api_client):
    assert api_client.get(f"{BASE}/discovery.csv").status_code == 404

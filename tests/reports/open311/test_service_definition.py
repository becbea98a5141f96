"""GET /open311/v2/services/<code>.{xml,json}: the (attribute-less) service definition."""

import pytest
from django.urls import reverse

from tests.reports.open311.conftest import BASE, json_errors, xml_errors, xml_of

pytestmark = pytest.mark.django_db


def test_url_is_stable_when_reversed():
    url = reverse("open311:service-definition", kwargs={"service_code": "zwerfafval", "fmt": "xml"})
    assert url == f"{BASE}/services/zwerfafval.xml"


def test_definition_json_has_the_code_and_no_attributes(api_client, cats):
    # given / when
    response = api_client.get(f"{BASE}/services/zwerfafval.json")

    # then
    assert response.status_code == 200
    assert response.json() == {"service_code": "zwerfafval", "attributes": []}


def test_definition_xml_conforms(api_client, cats):
    # given / when
    root = xml_of(api_client.get(f"{BASE}/services/zwerfafval.xml"))

    # then
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "zwerfafval"
    attributes = root.find("attributes")
    assert attributes is not None
    assert list(attributes) == []


@pytest.mark.parametrize("code", ["bestaat-niet", "misdrijf", "verloedering"])
def test_definition_returns_spec_shaped_404_for_a_code_that_is_not_a_service(
    api_client, cats, code
):
    # given / when
    as_xml = api_client.get(f"{BASE}/services/{code}.xml")
    as_json = api_client.get(f"{BASE}/services/{code}.json")

    # then
    assert (as_xml.status_code, as_json.status_code) == (404, 404)
    assert xml_errors(as_xml)[0][0] == "404"
    assert json_errors(as_json)[0]["code"] == 404

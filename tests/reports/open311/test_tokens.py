"""GET /open311/v2/tokens/<token>.{xml,json}: tokens are never issued (realtime services)."""

import pytest
from django.urls import reverse

from tests.reports.open311.conftest import BASE, json_errors, xml_errors

pytestmark = pytest.mark.django_db


def test_url_is_stable_when_reversed():
    url = reverse("open311:token-detail", kwargs={"token": "abc", "fmt": "xml"})
    assert url == f"{BASE}/tokens/abc.xml"


def test_token_lookup_returns_a_spec_shaped_404(api_client):
    # given / when
    as_xml = api_client.get(f"{BASE}/tokens/12345.xml")
    as_json = api_client.get(f"{BASE}/tokens/12345.json")

    # then
    assert (as_xml.status_code, as_json.status_code) == (404, 404)
    [(code, description)] = xml_errors(as_xml)
    assert code == "404"
    assert "realtime" in description
    assert json_errors(as_json)[0]["code"] == 404

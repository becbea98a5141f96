"""POST /open311/v2/requests.{xml,json}: filing a service request with an API key."""

import pytest
from django.urls import reverse

from reports.models import Open311Client, Report
from tests.reports.api.conftest import AMSTERDAM, PIETERSWIJK
from tests.reports.open311.conftest import BASE, json_errors, request_form, xml_errors, xml_of

pytestmark = pytest.mark.django_db


def _post(client, fmt, form):
    return client.post(f"{BASE}/requests.{fmt}", form)  # form-encoded (multipart) by default


def _post_urlencoded(client, fmt, form):
    from urllib.parse import urlencode

    return client.post(
        f"{BASE}/requests.{fmt}", urlencode(form), content_type="application/x-www-form-urlencoded"
    )


def test_url_is_stable_when_reversed():
    assert reverse("open311:request-collection", kwargs={"fmt": "xml"}) == f"{BASE}/requests.xml"


def test_post_xml_returns_the_service_request_id_and_a_notice(api_client, cats, leiden, open311):
    # given / when
    response = _post_urlencoded(api_client, "xml", request_form(open311.api_key))

    # then
    assert response.status_code == 201, response.content
    root = xml_of(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    report = Report.objects.get()
    assert request.findtext("service_request_id") == report.reference
    assert report.reference in request.findtext("service_notice")
    assert request.find("account_id") is not None
    assert (report.source, report.external_id) == ("open311", "Buitenbeter-koppeling")
    assert report.buurt.code == "BU05460000"


def test_post_json_returns_a_list_with_one_request(api_client, cats, leiden, open311):
    # given / when
    response = _post(api_client, "json", request_form(open311.api_key))

    # then
    assert response.status_code == 201
    [body] = response.json()
    assert body["service_request_id"] == Report.objects.get().reference
    assert set(body) == {"service_request_id", "service_notice", "account_id"}


def test_email_is_dropped_without_the_consent_attribute_and_the_notice_says_so(
    api_client, cats, leiden, open311
):
    # given
    form = request_form(
        open311.api_key,
        email="melder@example.test",
        first_name="Jan",
        last_name="Jansen",
        phone="0612345678",
    )

    # when
    [body] = _post(api_client, "json", form).json()

    # then
    report = Report.objects.get()
    assert (report.contact_email, report.contact_consent) == ("", False)
    assert "contact_consent" in body["service_notice"]
    stored = " ".join(str(v) for v in Report.objects.values().get().values())
    assert "Jansen" not in stored
    assert "0612345678" not in stored


def test_email_is_stored_with_the_consent_attribute(api_client, cats, leiden, open311):
    # given
    form = request_form(
        open311.api_key, email="melder@example.test", **{"attribute[contact_consent]": "true"}
    )

    # when
    response = _post_urlencoded(api_client, "json", form)

    # then
    assert response.status_code == 201
    report = Report.objects.get()
    assert (report.contact_email, report.contact_consent) == ("melder@example.test", True)


# --- API key ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "bs311_verkeerd"], ids=["missing", "empty", "wrong"])
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_post_without_a_valid_key_returns_a_spec_shaped_403(
    api_client, cats, leiden, open311, key, fmt
):
    # given / when
    response = _post(api_client, fmt, request_form(key))

    # then
    assert response.status_code == 403
    errors = xml_errors(response) if fmt == "xml" else json_errors(response)
    code, description = errors[0] if fmt == "xml" else (errors[0]["code"], errors[0]["description"])
    assert str(code) == "403"
    assert description.startswith("api_key:")
    assert Report.objects.count() == 0


def test_post_with_the_key_of_an_inactive_client_returns_403(api_client, cats, leiden, open311):
    # given
    Open311Client.objects.update(is_active=False)

    # when
    response = _post(api_client, "xml", request_form(open311.api_key))

    # then
    assert response.status_code == 403
    assert xml_errors(response)[0][0] == "403"
    assert Report.objects.count() == 0


def test_bad_key_is_refused_before_the_input_is_looked_at(api_client, cats, leiden):
    # given / when
    response = _post(api_client, "json", {"api_key": "fout"})

    # then
    assert response.status_code == 403


# --- Bad input --------------------------------------------------------------------------------

BAD_INPUT = [
    pytest.param({"service_code": None}, "service_code", id="missing-service-code"),
    pytest.param({"service_code": "bestaat-niet"}, "service_code", id="unknown-service"),
    pytest.param({"service_code": "misdrijf"}, "service_code", id="redirect-only"),
    pytest.param({"lat": None, "long": None}, "lat", id="no-location"),
    pytest.param(
        {"lat": None, "long": None, "address_string": "Breestraat 1, Leiden"},
        "lat",
        id="address-string-only",
    ),
    pytest.param(
        {"lat": None, "long": None, "address_id": "0546200000012345"}, "lat", id="address-id"
    ),
    pytest.param({"long": None}, "long", id="lat-only"),
    pytest.param({"lat": str(AMSTERDAM[0]), "long": str(AMSTERDAM[1])}, "lat", id="outside"),
    pytest.param({"lat": str(PIETERSWIJK[1]), "long": str(PIETERSWIJK[0])}, "lat", id="swapped"),
    pytest.param({"lat": "noord"}, "lat", id="lat-not-a-number"),
    pytest.param({"description": None}, "description", id="missing-description"),
    pytest.param({"description": "d" * 4001}, "description", id="4001-chars"),
    pytest.param({"description": "<script>alert(1)</script>"}, "description", id="script"),
]


@pytest.mark.parametrize(("changes", "parameter"), BAD_INPUT)
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_bad_input_returns_a_spec_shaped_400_naming_the_parameter(
    api_client, cats, leiden, open311, changes, parameter, fmt
):
    # given
    form = request_form(open311.api_key, **changes)
    for key in [k for k, v in changes.items() if v is None]:
        form.pop(key, None)

    # when
    response = _post(api_client, fmt, form)

    # then
    assert response.status_code == 400, response.content
    if fmt == "xml":
        code, description = xml_errors(response)[0]
    else:
        error = json_errors(response)[0]
        code, description = error["code"], error["description"]
    assert str(code) == "400"
    assert description.startswith(f"{parameter}:"), description
    assert Report.objects.count() == 0


def test_address_only_error_explains_that_lat_and_long_are_needed(
    api_client, cats, leiden, open311
):
    # given
    form = request_form(open311.api_key, lat=None, long=None, address_string="Breestraat 1")

    # when
    [error] = json_errors(_post(api_client, "json", form))

    # then
    assert "lat en long" in error["description"]
    assert "address_string" in error["description"]


def test_json_body_is_refused_with_a_spec_shaped_415(api_client, cats, leiden, open311):
    # given / when
    response = api_client.post(
        f"{BASE}/requests.json", request_form(open311.api_key), format="json"
    )

    # then
    assert response.status_code == 415
    assert json_errors(response)[0]["code"] == 415


# --- Idempotency via device_id ----------------------------------------------------------------


def test_a_retry_with_the_same_device_id_returns_the_same_request(
    api_client, cats, leiden, open311
):
    # given
    form = request_form(open311.api_key, device_id="telefoon-42")
    first = _post(api_client, "json", form)

    # when
    again = _post(api_client, "json", form)

    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert Report.objects.count() == 1


def test_the_same_device_with_another_text_files_a_new_request(api_client, cats, leiden, open311):
    # given
    _post(api_client, "json", request_form(open311.api_key, device_id="telefoon-42"))

    # when
    response = _post(
        api_client,
        "json",
        request_form(open311.api_key, device_id="telefoon-42", description="Iets anders"),
    )

    # then
    assert response.status_code == 201
    assert Report.objects.count() == 2


def test_without_device_id_every_post_is_a_new_request(api_client, cats, leiden, open311):
    # given / when
    for _ in range(2):
        _post(api_client, "json", request_form(open311.api_key))

    # then
    assert Report.objects.count() == 2


def test_the_key_may_be_sent_as_a_query_parameter(api_client, cats, leiden, open311):
    # given
    form = request_form(None)

    # when
    response = api_client.post(f"{BASE}/requests.json?api_key={open311.api_key}", form)

    # then
    assert response.status_code == 201
    assert Report.objects.count() == 1

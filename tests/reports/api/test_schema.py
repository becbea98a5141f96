"""GET /api/v1/schema/: every reports and Open311 endpoint is documented."""

import pytest

pytestmark = pytest.mark.django_db

REPORT_PATHS = {
    "/api/v1/reports/categories/": {"get"},
    "/api/v1/reports/reports/": {"post"},
    "/api/v1/reports/reports/{uuid}/support/": {"post"},
    "/api/v1/reports/track/{token}/": {"get"},
    "/api/v1/reports/nearby/": {"get"},
    "/api/v1/reports/map/": {"get"},
    "/api/v1/reports/public/": {"get"},
    "/api/v1/reports/staff/reports/": {"get"},
    "/api/v1/reports/staff/rates/": {"get"},
    "/api/v1/reports/staff/reports/{uuid}/": {"get"},
    "/api/v1/reports/staff/reports/{uuid}/status/": {"post"},
    "/api/v1/reports/staff/reports/{uuid}/messages/": {"post"},
    "/api/v1/reports/staff/reports/{uuid}/moderation/": {"post"},
    "/api/v1/reports/staff/reports/{uuid}/merge/": {"post"},
    "/open311/v2/discovery.{fmt}": {"get"},
    "/open311/v2/services.{fmt}": {"get"},
    "/open311/v2/services/{service_code}.{fmt}": {"get"},
    "/open311/v2/requests.{fmt}": {"get", "post"},
    "/open311/v2/requests/{service_request_id}.{fmt}": {"get"},
    "/open311/v2/tokens/{token}.{fmt}": {"get"},
}


def test_schema_documents_every_reports_and_open311_operation(api_client):
    # given / when
    response = api_client.get("/api/v1/schema/", {"format": "json"})

    # then
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path, methods in REPORT_PATHS.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path


def test_schema_documents_the_intake_errors_and_idempotency_header(api_client):
    # given / when
    paths = api_client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]

    # then
    create = paths["/api/v1/reports/reports/"]["post"]
    assert {"201", "200", "400", "409", "429"} <= set(create["responses"])
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"]}
    assert {"application/json", "multipart/form-data"} <= set(create["requestBody"]["content"])
    staff_list = {p["name"] for p in paths["/api/v1/reports/staff/reports/"]["get"]["parameters"]}
    assert {"status", "category", "theme", "buurt", "wijk", "from", "to", "q", "page"} <= staff_list

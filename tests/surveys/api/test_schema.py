"""GET /api/v1/schema/: every surveys endpoint is documented, and generating it warns about
nothing."""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

SURVEY_PATHS = {
    "/api/v1/surveys/{slug}/": {"get"},
    "/api/v1/surveys/{slug}/responses/": {"post"},
    "/api/v1/surveys/{slug}/responses/current/": {"get", "patch"},
    "/api/v1/surveys/{slug}/responses/current/submit/": {"post"},
    "/api/v1/surveys/staff/surveys/": {"get"},
    "/api/v1/surveys/staff/trends/": {"get"},
    "/api/v1/surveys/staff/surveys/{slug}/results/": {"get"},
    "/api/v1/surveys/staff/surveys/{slug}/response-rates/": {"get"},
}


def test_schema_documents_every_surveys_operation(api_client):
    response = api_client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for url, methods in SURVEY_PATHS.items():
        assert url in paths, url
        assert set(paths[url]) == methods, url
        for method in methods:
            assert paths[url][method].get("summary"), (url, method)


def test_schema_documents_errors_headers_and_parameters(api_client):
    paths = api_client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]

    start = paths["/api/v1/surveys/{slug}/responses/"]["post"]
    assert {"201", "400", "403", "404", "409", "410", "429"} <= set(start["responses"])
    save = paths["/api/v1/surveys/{slug}/responses/current/"]["patch"]
    assert "X-Resume-Token" in {p["name"] for p in save["parameters"]}
    results = paths["/api/v1/surveys/staff/surveys/{slug}/results/"]["get"]
    assert {"version", "channel", "breakdown"} <= {p["name"] for p in results["parameters"]}


def test_generating_the_surveys_schema_raises_no_warnings():
    # given: only the surveys API, as it is mounted
    patterns = [path("api/v1/surveys/", include("surveys.api.urls"))]
    GENERATOR_STATS.reset()

    # when
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)

    # then
    assert len(schema["paths"]) == len(SURVEY_PATHS)
    assert not GENERATOR_STATS._warn_cache, dict(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._error_cache)

"""Fixtures for the Open311 tests (the API fixtures, plus a registered Open311 client)."""

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from reports.open311_keys import Open311ClientCreated, open311_client_create
from tests.reports.api.conftest import (  # noqa: F401  (fixtures)
    PIETERSWIJK,
    _clear_cache,
    api_client,
    cats,
    client_as,
    file_report,
    make_user,
)

BASE = "/open311/v2"


@pytest.fixture
def open311(db) -> Open311ClientCreated:
    return open311_client_create(name="Buitenbeter-koppeling")


def request_form(api_key: str | None, **overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "api_key": api_key,
        "service_code": "zwerfafval",
        "lat": str(PIETERSWIJK[0]),
        "long": str(PIETERSWIJK[1]),
        "description": "Volle prullenbak, afval waait over straat.",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def xml_of(response) -> ET.Element:
    assert response["Content-Type"].split(";")[0] in {"text/xml", "application/xml"}
    assert response.content.startswith(b"<?xml")
    return ET.fromstring(response.content)  # noqa: S314  (our own response)


def xml_errors(response) -> list[tuple[str, str]]:
    root = xml_of(response)
    assert root.tag == "errors"
    errors = [(e.findtext("code"), e.findtext("description")) for e in root.findall("error")]
    assert errors
    return errors


def json_errors(response) -> list[dict[str, Any]]:
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list)
    assert body
    assert all(set(e) == {"code", "description"} for e in body)
    return body

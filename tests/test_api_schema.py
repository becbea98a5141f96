"""The whole OpenAPI schema generates without warnings and validates (drf-spectacular)."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_schema_is_valid_and_has_no_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/plans/{uuid}/:" in text
    assert "/api/v1/reports/staff/rates/:" in text

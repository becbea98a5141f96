"""No public or Open311 response ever contains the reporter's e-mail or the original
(unmoderated) text, whatever the state of the report. (A moderator who approves the text as
written publishes it on purpose; that is not covered here.)"""

import pytest

from reports.models import ReportCategory
from reports.services import report_moderate, report_support_add
from tests.reports.api.conftest import PIETERSWIJK_2, REPORTER_EMAIL, SECRET_TEXT

pytestmark = pytest.mark.django_db

SECRET_FRAGMENTS = (REPORTER_EMAIL, "melder.geheim", "Jan Jansen", "nummer 12", SECRET_TEXT)
PUBLIC_TEXT = "Afval naast de container."


def _public_urls(report, slug: str) -> list[str]:
    near = f"category={slug}&lat={PIETERSWIJK_2[0]}&lon={PIETERSWIJK_2[1]}"
    urls = [
        "/api/v1/reports/categories/",
        "/api/v1/reports/map/?zoom=18",
        "/api/v1/reports/map/?zoom=10",
        "/api/v1/reports/public/",
        f"/api/v1/reports/nearby/?{near}",
    ]
    for fmt in ("xml", "json"):
        urls += [
            f"/open311/v2/discovery.{fmt}",
            f"/open311/v2/services.{fmt}",
            f"/open311/v2/services/{slug}.{fmt}",
            f"/open311/v2/requests.{fmt}",
            f"/open311/v2/requests.{fmt}?service_request_id={report.reference}",
            f"/open311/v2/requests/{report.reference}.{fmt}",
        ]
    return urls


def _assert_nothing_leaks(api_client, report, slug: str, tracking_token: str) -> list[bytes]:
    bodies = []
    for url in [*_public_urls(report, slug), f"/api/v1/reports/track/{tracking_token}/"]:
        response = api_client.get(url)
        assert response.status_code in (200, 404), url
        content = response.content.decode()
        for secret in SECRET_FRAGMENTS:
            assert secret not in content, (url, secret)
        assert f"{report.lat}" not in content, url
        bodies.append(response.content)
    return bodies


@pytest.mark.parametrize(
    "slug", ["zwerfafval", "woonoverlast", "ondermijning-vermoeden", "jongerenoverlast"]
)
@pytest.mark.parametrize("moderation", ["pending", "redacted", "rejected"])
def test_public_and_open311_responses_never_contain_email_or_original_text(
    api_client, file_report, make_user, slug, moderation
):
    # given
    intake = file_report(
        category_slug=slug,
        description=SECRET_TEXT,
        contact_email=REPORTER_EMAIL,
        contact_consent=True,
        reporter=make_user("resident"),
    )
    report = intake.report
    if ReportCategory.objects.get(slug=slug).is_public:
        report_support_add(report=report, device_id="apparaat-123")
    moderator = make_user("moderator")
    if moderation == "redacted":
        report_moderate(
            report=report, actor=moderator, decision="redacted", public_text=PUBLIC_TEXT
        )
    elif moderation == "rejected":
        report_moderate(report=report, actor=moderator, decision="rejected")

    # when / then
    bodies = _assert_nothing_leaks(api_client, report, slug, intake.tracking_token)
    published = any(PUBLIC_TEXT.encode() in body for body in bodies)
    public_category = ReportCategory.objects.get(slug=slug).is_public
    assert published is (moderation == "redacted" and public_category)

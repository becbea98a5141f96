"""The public meldingen map (/meldingen/kaart/) and its table (/meldingen/), Django client:
only public categories, only moderated text, no location finer than the grid cell or buurt,
the small-count rule, filters, pagination, links between map and table."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from geo.grid import cell_centre_wgs84
from geo.index import buurt_id_for_point
from geo.models import Area
from participation.taxonomy import taxonomy_seed_default
from reports.categories import report_categories_seed_default
from reports.models import Report, ReportCategory
from tests.frontend.html_audit import csp_audit
from tests.participation.factories import UserFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_cell_published(settings):
    """This module tests the list's content, filters and format: a cell of one report is
    listed here. The cell rule itself is tested in tests/reports/test_public_cell_rule.py."""
    settings.REPORTS_PUBLIC_MIN_COUNT = 1


MAP = reverse("frontend:report-map")
TABLE = reverse("frontend:report-list-public")
PIETERSWIJK = (52.158, 4.49)
VREEWIJK = (52.16, 4.48)
ROOMBURG = (52.145, 4.51)
SECRET_TEXT = "Mijn buurman Jan Jansen op nummer 12 laat zijn afval slingeren."
MODERATED = "Afval naast de container bij de speeltuin."
REPORTER_EMAIL = "melder.geheim@example.test"
ALL_FOUR = {"zwerfafval-recent", "jongeren-recent", "zwerfafval-oud", "zwerfafval-2j"}


@pytest.fixture
def categories(leiden) -> dict[str, ReportCategory]:
    taxonomy_seed_default()
    report_categories_seed_default()
    return {c.slug: c for c in ReportCategory.objects.all()}


@pytest.fixture
def make(categories):
    """`make("zwerfafval", at=PIETERSWIJK, n=3, days_ago=0, **fields)`: reports at a point."""

    def make(slug="zwerfafval", at=PIETERSWIJK, n=1, days_ago=0, **fields):
        buurt = Area.objects.get(pk=buurt_id_for_point(lat=at[0], lon=at[1]))
        fields.setdefault("description", SECRET_TEXT)
        fields.setdefault("contact_email", REPORTER_EMAIL)
        made = [
            ReportFactory(category=categories[slug], buurt=buurt, lat=at[0], lon=at[1], **fields)
            for _ in range(n)
        ]
        if days_ago:
            created = timezone.now() - timedelta(days=days_ago)
            Report.objects.filter(pk__in=[r.pk for r in made]).update(created_at=created)
        return made

    return make


def _main(html: str) -> str:
    return html.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]


def _rows(html: str) -> list[list[str]]:
    body = html.split('class="utrecht-table bs-public-rows"', 1)[1].split("</tbody>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
        ]
        for r in rows
    ]


def _summary(html: str) -> dict[str, str]:
    table = html.split("bs-public-summary__table", 1)[1].split("</table>", 1)[0]
    pairs = re.findall(r'<th scope="row">(.*?)</th>\s*<td[^>]*>(.*?)</td>', table, re.S)
    return {name: re.sub(r"<[^>]+>", "", value).replace("&lt;", "<") for name, value in pairs}


def test_urls_are_stable():
    assert (MAP, TABLE) == ("/meldingen/kaart/", "/meldingen/")


@pytest.mark.parametrize("url", [MAP, TABLE])
def test_pages_render_for_anonymous_visitors_with_nav_item_and_without_inline_code(
    client, make, url
):
    make()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/meldingen/kaart/" aria-current="page">Meldingenkaart</a>' in html
    assert csp_audit(html).problems == []


def test_map_page_points_the_map_at_the_public_cells_api_with_the_filters(client, make):
    # given
    make()

    # when
    html = client.get(MAP, {"categorie": "zwerfafval", "periode": "30"}).content.decode()

    # then
    cells_url = re.search(r'data-cells-url="([^"]+)"', html).group(1).replace("&amp;", "&")
    parts = urlsplit(cells_url)
    assert parts.path == reverse("api-v1:reports:public-map")
    since = (timezone.localdate() - timedelta(days=29)).isoformat()
    assert parse_qs(parts.query) == {"categories": ["zwerfafval"], "from": [since]}
    assert 'data-areas-url="/api/v1/geo/areas/?level=buurt&amp;year=' in html
    assert "data-bounds=" in html
    assert 'src="/static/frontend/js/report-map.js"' in html


def test_map_and_table_link_to_each_other_keeping_the_filters(client, make):
    make()
    query = {"categorie": "jongerenoverlast", "periode": "90"}
    map_html = client.get(MAP, query).content.decode()
    table_html = client.get(TABLE, query).content.decode()
    assert 'href="/meldingen/?categorie=jongerenoverlast&amp;periode=90"' in map_html
    assert 'href="/meldingen/kaart/?categorie=jongerenoverlast&amp;periode=90"' in table_html


def test_map_page_explains_the_blurring_and_works_without_javascript(client, make):
    make(n=6)
    html = _main(client.get(MAP).content.decode())
    assert "100 bij 100 meter" in html
    assert "<noscript>" in html
    assert "Aantal meldingen per buurt" in html  # the counts without the map
    assert "Legenda" in html


def test_filter_select_offers_only_categories_whose_reports_can_be_public(client, categories):
    html = client.get(TABLE).content.decode()
    select = html.split('name="categorie"', 1)[1].split("</select>", 1)[0]
    offered = set(re.findall(r'<option value="([^"]*)"', select))
    for slug, category in categories.items():
        if not category.is_public:
            assert slug not in offered
    assert {"", "zwerfafval", "jongerenoverlast", "overlast-personen"} <= offered
    assert "spoed" not in offered  # sends people to 112, never has reports


def test_table_lists_only_public_reports_with_buurt_month_status_and_moderated_text(client, make):
    # given
    [approved] = make(
        moderation=Report.Moderation.APPROVED, public_description=MODERATED, support_count=2
    )
    make(moderation=Report.Moderation.PENDING, public_description="Nog niet beoordeeld")
    make(moderation=Report.Moderation.REJECTED, public_description="Afgewezen tekst")
    make("woonoverlast", public_description="Woonoverlast", moderation="approved")
    make("verward-gedrag")
    make("ondermijning-vermoeden")
    make(status=Report.Status.CANCELLED)

    # when
    html = client.get(TABLE).content.decode()

    # then
    rows = _rows(html)
    assert len(rows) == 3
    month = approved.created_at.astimezone(timezone.get_current_timezone())
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]  # fmt: skip
    label = f"{months[month.month - 1]} {month.year}"
    assert [r[:4] for r in rows] == [
        ["Zwerfafval en verloedering", "Pieterswijk", label, "Nieuw"]
    ] * 3
    texts = sorted(r[4] for r in rows)
    assert texts == sorted([MODERATED, "Geen openbare tekst", "Geen openbare tekst"])
    for hidden in ("Nog niet beoordeeld", "Afgewezen tekst", "Woonoverlast", "Verward"):
        assert hidden not in _main(html)


@pytest.mark.parametrize("url", [MAP, TABLE])
def test_pages_never_show_personal_data_or_exact_locations(client, make, url):
    # given: a report with everything personal filled in, approved text without it
    reporter = UserFactory(email="jan.jansen@example.test")
    [report] = make(
        reporter=reporter,
        location_description="Voor nummer 12",
        moderation=Report.Moderation.APPROVED,
        public_description=MODERATED,
    )

    # when
    html = client.get(url, {"periode": "alles"}).content.decode()

    # then
    for secret in (SECRET_TEXT, REPORTER_EMAIL, "jan.jansen", "Voor nummer 12", report.reference):
        assert secret not in html
    assert str(report.lat) not in html
    assert str(report.lon) not in html
    cell_lat, _ = cell_centre_wgs84(report.grid_x, report.grid_y)
    assert str(cell_lat) not in html  # not even the cell: the table has buurt and month


def test_table_shows_the_small_count_rule_in_the_counts_per_buurt(client, make, settings):
    # given
    settings.REPORTS_PUBLIC_MIN_COUNT = 5
    make(at=PIETERSWIJK, n=3)
    make(at=VREEWIJK, n=8)
    make("woonoverlast", at=ROOMBURG, n=9)

    # when
    summary = _summary(client.get(TABLE).content.decode())

    # then
    assert summary["Pieterswijk"] == "<5"
    assert summary["Vreewijk"] == "10"
    roomburg = next(name for name in summary if name.startswith("Roomburg"))
    assert summary[roomburg] == "0"
    assert summary["Totaal"] == "10"  # 11 → 10
    assert len(summary) == 54 + 1  # every Leiden buurt and the total


def test_small_count_rule_also_applies_to_the_total(client, make, settings):
    settings.REPORTS_PUBLIC_MIN_COUNT = 5
    make(n=2)
    html = client.get(MAP).content.decode()
    assert "In deze selectie staan minder dan 5 meldingen." in html
    assert _summary(html)["Totaal"] == "<5"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"zwerfafval-recent", "jongeren-recent", "zwerfafval-oud"}),
        ({"categorie": "zwerfafval"}, {"zwerfafval-recent", "zwerfafval-oud"}),
        ({"categorie": "overlast-personen"}, {"jongeren-recent"}),
        ({"periode": "30"}, {"zwerfafval-recent", "jongeren-recent"}),
        ({"periode": "alles"}, ALL_FOUR),
        ({"periode": "30", "van": "2000-01-01"}, ALL_FOUR),
    ],
)
def test_table_filters_by_category_and_period(client, make, query, expected):
    # given
    make(public_description="zwerfafval-recent", moderation="approved", days_ago=2)
    make("jongerenoverlast", public_description="jongeren-recent", moderation="approved")
    make(public_description="zwerfafval-oud", moderation="approved", days_ago=200)
    make(public_description="zwerfafval-2j", moderation="approved", days_ago=730)

    # when
    rows = _rows(client.get(TABLE, query).content.decode())

    # then
    assert {r[4] for r in rows} == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"categorie": "woonoverlast"}, "categorie"),
        ({"categorie": "bestaat-niet"}, "categorie"),
        ({"periode": "7"}, "periode"),
        ({"van": "2026-13-01"}, "van"),
        ({"van": "2026-05-02", "tot": "2026-05-01"}, "tot"),
    ],
)
@pytest.mark.parametrize("url", [MAP, TABLE])
def test_bad_filters_show_an_error_summary_naming_the_field_and_no_data(
    client, make, url, query, field
):
    # given
    make(n=6, moderation="approved", public_description=MODERATED)

    # when
    response = client.get(url, query)

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert f'<a href="#id_{field}">' in html
    assert re.search(rf'<[^>]*aria-invalid="true"[^>]*id="id_{field}"', html)
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'aria-describedby="id_{field}_error"' in html
    )
    assert MODERATED not in html
    assert "data-cells-url" not in html
    assert "Aantal meldingen per buurt" not in html


def test_table_is_paginated_and_page_links_keep_the_filters(client, make):
    # given
    make(n=30, moderation="approved", public_description=MODERATED)

    # when
    first = client.get(TABLE, {"categorie": "zwerfafval"}).content.decode()
    second = client.get(TABLE, {"categorie": "zwerfafval", "pagina": "2"}).content.decode()
    beyond = client.get(TABLE, {"categorie": "zwerfafval", "pagina": "99"}).content.decode()

    # then
    assert len(_rows(first)) == 25
    assert len(_rows(second)) == 5
    assert len(_rows(beyond)) == 5  # the last page
    assert (
        'href="/meldingen/?categorie=zwerfafval&amp;periode=365&amp;pagina=2" rel="next"' in first
    )
    assert (
        'href="/meldingen/?categorie=zwerfafval&amp;periode=365&amp;pagina=1" rel="prev"' in second
    )
    assert "Pagina 2 van 2" in second


def test_table_says_so_when_nothing_matches(client, categories):
    html = client.get(TABLE).content.decode()
    assert "Geen meldingen in deze selectie." in html


def test_pages_need_a_fixed_number_of_queries(client, make, django_assert_max_num_queries):
    make(n=30, moderation="approved", public_description=MODERATED)
    with django_assert_max_num_queries(12):
        assert client.get(TABLE).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(MAP).status_code == 200

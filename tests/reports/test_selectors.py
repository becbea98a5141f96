"""Read use cases: tracking, staff lists, nearby open reports, the public map and table."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from geo.grid import cell_centre_wgs84, rd_cell
from reports.models import Report
from reports.selectors import (
    PublicFilters,
    StaffFilters,
    category_tree,
    cell_size_for_zoom,
    public_location,
    public_map_cells,
    public_report_rows,
    report_get_by_token,
    report_list_for_staff,
    report_list_nearby_open,
)
from reports.services import report_create
from tests.reports.conftest import point
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
S = Report.Status


@pytest.fixture
def make(town, categories):
    def make(slug="zwerfafval", col=0, dx=100.0, dy=100.0, created_at=None, **kwargs):
        lat, lon = point(col, dx, dy)
        kwargs.setdefault("buurt", town.buurten[int(col)])
        report = ReportFactory(category=categories[slug], lat=lat, lon=lon, **kwargs)
        if created_at is not None:
            Report.objects.filter(pk=report.pk).update(created_at=created_at)
            report.created_at = created_at
        return report

    return make


def _staff(**filters) -> set[int]:
    return set(report_list_for_staff(filters=StaffFilters(**filters)).values_list("pk", flat=True))


# --- Tracking ---------------------------------------------------------------------------------


def test_report_get_by_token_finds_report_when_token_is_the_one_handed_out(town, categories):
    lat, lon = point(0)
    intake = report_create(category_slug="zwerfafval", description="Afval", lat=lat, lon=lon)
    assert report_get_by_token(token=intake.tracking_token) == intake.report


@pytest.mark.parametrize("token", ["", "onbekend", "x" * 65])
def test_report_get_by_token_raises_does_not_exist_when_token_is_unknown(token, town, make):
    make()
    with pytest.raises(Report.DoesNotExist):
        report_get_by_token(token=token)


# --- Staff list -------------------------------------------------------------------------------


def test_report_list_for_staff_excludes_confidential_unless_asked(make):
    public = make("zwerfafval")
    restricted = make("woonoverlast")
    confidential = make("ondermijning-vermoeden")
    assert _staff() == {public.pk, restricted.pk}
    assert _staff(include_confidential=True) == {public.pk, restricted.pk, confidential.pk}


def test_report_list_for_staff_filters_by_status_when_given(make):
    new = make(status=S.NEW)
    make(status=S.RESOLVED)
    assert _staff(status=S.NEW) == {new.pk}


def test_report_list_for_staff_filters_by_category_including_subcategories_of_a_main(make):
    litter = make("zwerfafval")
    graffiti = make("vandalisme-graffiti")
    make("jongerenoverlast")
    assert _staff(category="zwerfafval") == {litter.pk}
    assert _staff(category="verloedering") == {litter.pk, graffiti.pk}


def test_report_list_for_staff_filters_by_theme_including_thema_of_a_veld(make):
    litter = make("zwerfafval")  # 1.2 fysieke-kwaliteit, veld VV1
    drugs = make("drugs-drankoverlast")  # 1.1 sociale-kwaliteit, veld VV1
    make("jongerenoverlast")  # 3.1, veld VV3
    assert _staff(theme="fysieke-kwaliteit") == {litter.pk}
    assert _staff(theme="veilige-woon-en-leefomgeving") == {litter.pk, drugs.pk}


def test_report_list_for_staff_filters_by_buurt_and_wijk_when_given(make):
    a = make(col=0)
    b = make(col=1)
    c = make(col=2)
    assert _staff(buurt="BU05469001") == {b.pk}
    assert _staff(wijk="WK054690") == {a.pk, b.pk}
    assert _staff(wijk="WK054691") == {c.pk}


def test_report_list_for_staff_filters_by_amsterdam_calendar_days_when_dates_given(make):
    # given: 00:30 on 2 March in Amsterdam is still 1 March in UTC
    early = make(created_at=datetime(2026, 3, 2, 0, 30, tzinfo=AMS))
    late = make(created_at=datetime(2026, 3, 3, 23, 50, tzinfo=AMS))
    before = make(created_at=datetime(2026, 3, 1, 23, 59, tzinfo=AMS))
    after = make(created_at=datetime(2026, 3, 4, 0, 0, tzinfo=AMS))
    # when / then
    assert _staff(date_from=date(2026, 3, 2), date_to=date(2026, 3, 3)) == {early.pk, late.pk}
    assert _staff(date_from=date(2026, 3, 4)) == {after.pk}
    assert _staff(date_to=date(2026, 3, 1)) == {before.pk}


def test_report_list_for_staff_searches_texts_and_reference_when_text_is_given(make):
    by_description = make(description="Scooter met kenteken op de stoep")
    by_public = make(public_description="Een SCOOTER op de stoep")
    by_place = make(location_description="bij de scooterstalling")
    by_reference = make()
    make(description="Iets anders")
    assert _staff(text="scooter") == {by_description.pk, by_public.pk, by_place.pk}
    assert _staff(text=f"  {by_reference.reference.lower()} ") == {by_reference.pk}


def test_report_list_for_staff_orders_newest_first(make):
    old = make(created_at=timezone.now() - timedelta(days=2))
    new = make()
    assert list(report_list_for_staff(filters=StaffFilters())) == [new, old]


def test_report_list_for_staff_needs_no_extra_queries_when_showing_categories_and_buurten(
    make, django_assert_num_queries
):
    for _ in range(3):
        make()
    with django_assert_num_queries(1):
        rows = [
            (r.category.parent.slug, r.category.theme.slug, r.buurt.code)
            for r in report_list_for_staff(filters=StaffFilters())
        ]
    assert len(rows) == 3


# --- Nearby open reports ----------------------------------------------------------------------


def test_report_list_nearby_open_returns_reports_within_radius_nearest_first(
    make, categories, settings
):
    # given
    settings.REPORTS_NEARBY_METERS = 150
    far = make(dx=100 + 140)  # 140 m east
    near = make(dx=100 + 50)
    make(dx=100 + 160, dy=100)  # 160 m: outside
    make(dx=100, dy=100 + 155)  # 155 m north: outside
    lat, lon = point(0)
    # when
    found = report_list_nearby_open(category=categories["zwerfafval"], lat=lat, lon=lon)
    # then
    assert [r for r, _ in found] == [near, far]
    assert found[0][1] == pytest.approx(50, abs=1)
    assert found[1][1] == pytest.approx(140, abs=1)


def test_report_list_nearby_open_uses_given_radius_and_limit(make, categories):
    reports = [make(dx=100 + 10 * i) for i in range(1, 8)]
    lat, lon = point(0)
    found = report_list_nearby_open(
        category=categories["zwerfafval"], lat=lat, lon=lon, radius_m=45, limit=3
    )
    assert [r for r, _ in found] == reports[:3]
    assert len(report_list_nearby_open(category=categories["zwerfafval"], lat=lat, lon=lon)) == 5


def test_report_list_nearby_open_leaves_out_old_closed_merged_and_other_category(
    make, categories, settings
):
    # given
    settings.REPORTS_NEARBY_DAYS = 30
    fresh = make(created_at=timezone.now() - timedelta(days=29))
    make(created_at=timezone.now() - timedelta(days=31))
    in_progress = make(status=S.IN_PROGRESS)
    for status in Report.CLOSED_STATUSES:
        make(status=status)
    make(status=S.NEW, duplicate_of=fresh)
    make("vandalisme-graffiti")
    lat, lon = point(0)
    # when
    found = report_list_nearby_open(category=categories["zwerfafval"], lat=lat, lon=lon)
    # then
    assert {r for r, _ in found} == {fresh, in_progress}
    assert report_list_nearby_open(
        category=categories["zwerfafval"], lat=lat, lon=lon, days=10
    ) == [(in_progress, pytest.approx(0, abs=1))]


@pytest.mark.parametrize("slug", ["woonoverlast", "verward-gedrag", "ondermijning-vermoeden"])
def test_report_list_nearby_open_returns_nothing_when_category_is_not_public(
    slug, make, categories
):
    make(slug)
    lat, lon = point(0)
    assert report_list_nearby_open(category=categories[slug], lat=lat, lon=lon) == []


# --- Public map -------------------------------------------------------------------------------


@pytest.mark.usefixtures("exact_public_counts")
def test_public_map_cells_counts_only_public_not_merged_not_cancelled_located_reports(
    make, town, categories
):
    # given: all in one 100 m cell
    a = make(support_count=2)
    make(status=S.RESOLVED, support_count=1)
    make("woonoverlast")
    make("verward-gedrag")
    make("ondermijning-vermoeden")
    make(status=S.CANCELLED, duplicate_of=a)
    make(duplicate_of=a)
    make(status=S.CANCELLED)
    ReportFactory(category=categories["zwerfafval"], buurt=town.buurten[0], lat=None, lon=None)
    # when
    cells = public_map_cells(filters=PublicFilters(), cell_size=100)
    # then
    assert len(cells) == 1
    assert cells[0]["reports"] == 2
    assert cells[0]["people"] == 2 + 3


def test_public_map_cells_places_counts_at_cell_centre_not_at_the_report(make):
    report = make(dx=30, dy=70)
    [cell] = public_map_cells(filters=PublicFilters(), cell_size=100)
    assert (cell["lat"], cell["lon"]) == cell_centre_wgs84(report.grid_x, report.grid_y)
    assert (cell["lat"], cell["lon"]) != (report.lat, report.lon)
    assert set(cell) == {"lat", "lon", "reports", "people"}


@pytest.mark.parametrize(
    ("size", "expected"),
    [(100, [1, 1, 1]), (200, [2, 1]), (400, [2, 1]), (800, [3]), (1600, [3])],
)
@pytest.mark.usefixtures("exact_public_counts")
def test_public_map_cells_merges_cells_when_cell_size_grows(size, expected, make):
    # given: RD x 93 050 and 93 150 share a 200 m and a 400 m cell; 93 250 starts the next
    # (93 200 is an edge of both); all three share an 800 m cell (92 800-93 600)
    make(col=0, dx=50)
    make(col=0, dx=150)
    make(col=1, dx=50)
    # when
    cells = public_map_cells(filters=PublicFilters(), cell_size=size)
    # then
    assert sorted((c["reports"] for c in cells), reverse=True) == expected
    for cell in cells:
        ix, iy = rd_cell(cell["lat"], cell["lon"], size_m=size)
        assert (cell["lat"], cell["lon"]) == cell_centre_wgs84(ix, iy, size_m=size)


def test_public_map_cells_refuses_when_cell_size_is_not_offered(make):
    with pytest.raises(ValueError, match="300"):
        public_map_cells(filters=PublicFilters(), cell_size=300)


@pytest.mark.usefixtures("exact_public_counts")
def test_public_map_cells_filters_by_category_including_main_and_by_dates(make):
    make("zwerfafval", created_at=datetime(2026, 5, 1, 12, tzinfo=AMS))
    make("vandalisme-graffiti", created_at=datetime(2026, 5, 2, 12, tzinfo=AMS))
    make("jongerenoverlast", created_at=datetime(2026, 5, 3, 12, tzinfo=AMS))

    def total(**filters) -> int:
        cells = public_map_cells(filters=PublicFilters(**filters), cell_size=100)
        return sum(c["reports"] for c in cells)

    assert total() == 3
    assert total(categories=("verloedering",)) == 2
    assert total(categories=("zwerfafval", "jongerenoverlast")) == 2
    assert total(date_from=date(2026, 5, 2)) == 2
    assert total(date_to=date(2026, 5, 2)) == 2
    assert total(date_from=date(2026, 5, 2), date_to=date(2026, 5, 2)) == 1


@pytest.mark.parametrize(
    ("zoom", "size"), [(18, 100), (16, 100), (15, 200), (14, 400), (13, 800), (12, 1600), (5, 1600)]
)
def test_cell_size_for_zoom_coarsens_cells_when_zoomed_out(zoom, size):
    assert cell_size_for_zoom(zoom) == size


def test_public_report_rows_lists_public_reports_newest_first_with_blurred_location(make, settings):
    settings.REPORTS_PUBLIC_MIN_COUNT = 1  # one report per cell here; see test_public_cell_rule.py
    old = make(created_at=timezone.now() - timedelta(days=3), dx=30, dy=30)
    new = make(moderation=Report.Moderation.APPROVED, public_description="Afval bij bank")
    make("woonoverlast")
    rows = list(public_report_rows(filters=PublicFilters()))
    assert rows == [new, old]
    assert public_location(old) == cell_centre_wgs84(old.grid_x, old.grid_y)
    assert public_location(old) != (old.lat, old.lon)


def test_public_location_is_none_when_report_has_no_point():
    assert public_location(Report(grid_x=None, grid_y=None)) is None


def test_category_tree_lists_active_main_categories_with_active_subcategories(categories):
    categories["zwerfafval"].is_active = False
    categories["zwerfafval"].save()
    tree = {main.slug: [c.slug for c in subs] for main, subs in category_tree()}
    assert tree["verloedering"] == ["vandalisme-graffiti", "verlichting-donkere-plek"]
    assert tree["spoed"] == []
    assert "zwerfafval" not in tree

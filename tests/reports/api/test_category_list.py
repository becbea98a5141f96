"""GET /api/v1/reports/categories/: the category tree for the report form."""

import pytest
from django.urls import reverse

from reports.models import ReportCategory

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/categories/"


def _by_slug(tree):
    return {main["slug"]: main for main in tree}


def test_url_is_stable_when_reversed():
    assert reverse("api-v1:reports:category-list") == URL


def test_list_returns_main_categories_with_their_subcategories(api_client, cats):
    # given / when
    response = api_client.get(URL)

    # then
    assert response.status_code == 200
    tree = _by_slug(response.json())
    subs = {s["slug"] for s in tree["verloedering"]["subcategories"]}
    assert subs == {"vandalisme-graffiti", "zwerfafval", "verlichting-donkere-plek"}
    litter = next(s for s in tree["verloedering"]["subcategories"] if s["slug"] == "zwerfafval")
    assert litter == {
        "slug": "zwerfafval",
        "name": "Zwerfafval en verloedering",
        "description": "",
        "sensitivity": "public",
        "on_public_map": True,
        "redirect_channel": "",
        "redirect_channel_label": "geen",
        "accepts_reports": True,
        "theme": "fysieke-kwaliteit",
    }


def test_list_shows_sensitivity_and_the_channel_to_use_first(api_client, cats):
    # given / when
    tree = _by_slug(api_client.get(URL).json())

    # then
    assert tree["spoed"]["redirect_channel"] == "112"
    assert tree["spoed"]["accepts_reports"] is False
    assert tree["spoed"]["subcategories"] == []
    crime = {s["slug"]: s for s in tree["criminaliteit"]["subcategories"]}
    assert crime["huiselijk-geweld"]["redirect_channel"] == "veilig_thuis"
    assert crime["huiselijk-geweld"]["accepts_reports"] is False
    assert crime["ondermijning-vermoeden"]["sensitivity"] == "confidential"
    assert crime["ondermijning-vermoeden"]["on_public_map"] is False


def test_list_uses_english_names_when_asked(api_client, cats):
    # given / when
    tree = _by_slug(api_client.get(URL, headers={"Accept-Language": "en"}).json())

    # then
    assert tree["verloedering"]["name"] == "Vandalism and decay"
    assert tree["spoed"]["description"].startswith("Are people in danger")


def test_list_leaves_out_inactive_categories(api_client, cats):
    # given
    ReportCategory.objects.filter(slug__in=["zwerfafval", "horeca"]).update(is_active=False)

    # when
    tree = _by_slug(api_client.get(URL).json())

    # then
    assert "horeca" not in tree
    assert "zwerfafval" not in {s["slug"] for s in tree["verloedering"]["subcategories"]}


def test_list_needs_few_queries(api_client, cats, django_assert_max_num_queries):
    # given / when / then
    with django_assert_max_num_queries(3):
        assert api_client.get(URL).status_code == 200

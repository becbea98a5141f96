"""Default categories, tokens and the demo command."""

from io import StringIO

import pytest
from django.core.management import call_command

from participation.taxonomy import taxonomy_seed_default
from reports.categories import DEFAULT_CATEGORIES, report_categories_seed_default
from reports.models import Report, ReportCategory
from reports.tokens import REFERENCE_ALPHABET, device_hash, reference_new, tracking_token_for

pytestmark = pytest.mark.django_db


def test_report_categories_seed_default_links_every_subcategory_to_an_ivp_thema(categories):
    subs = [c for c in categories.values() if c.parent_id]
    assert len(subs) == len([s for s in DEFAULT_CATEGORIES if s.parent])
    assert all(c.theme is not None for c in subs), [c.slug for c in subs if c.theme is None]


def test_report_categories_seed_default_is_idempotent_and_keeps_local_changes(categories):
    category = categories["zwerfafval"]
    category.name = "Zwerfvuil (eigen naam)"
    category.save()
    assert report_categories_seed_default() == 0
    category.refresh_from_db()
    assert category.name == "Zwerfvuil (eigen naam)"
    assert ReportCategory.objects.count() == len(DEFAULT_CATEGORIES)


def test_report_categories_seed_default_never_makes_sensitive_categories_public(categories):
    for slug in ("woonoverlast", "verward-gedrag"):
        assert categories[slug].sensitivity == "restricted"
    for slug in ("ondermijning-vermoeden", "misdrijf", "huiselijk-geweld"):
        assert categories[slug].sensitivity == "confidential"
    for slug in ("spoed", "misdrijf", "huiselijk-geweld"):
        assert categories[slug].accepts_reports is False
        assert categories[slug].redirect_channel


def test_report_categories_seed_default_creates_without_themes_when_taxonomy_is_missing(db):
    assert report_categories_seed_default() == len(DEFAULT_CATEGORIES)
    assert not ReportCategory.objects.exclude(theme=None).exists()
    taxonomy_seed_default()
    assert report_categories_seed_default() == 0


def test_tracking_token_is_stable_per_report_and_differs_between_reports():
    assert tracking_token_for("a") == tracking_token_for("a")
    assert tracking_token_for("a") != tracking_token_for("b")
    assert len(tracking_token_for("a")) == 32


def test_tracking_token_depends_on_the_secret_key(settings):
    before = tracking_token_for("a")
    settings.SECRET_KEY = "een-ander-geheim-" * 3
    assert tracking_token_for("a") != before


def test_reference_new_uses_unambiguous_characters():
    refs = {reference_new() for _ in range(200)}
    assert len(refs) == 200
    for ref in refs:
        assert ref.startswith("BS-")
        assert ref[7] == "-"
        assert set(ref[3:7] + ref[8:]) <= set(REFERENCE_ALPHABET)
        assert not set(ref[3:]) & set("ILOU")


def test_device_hash_hides_the_device_id():
    assert device_hash("toestel-1") == device_hash("toestel-1")
    assert device_hash("toestel-1") != device_hash("toestel-2")
    assert "toestel" not in device_hash("toestel-1")


def test_seed_demo_reports_command_creates_then_skips(leiden):
    out = StringIO()
    call_command("seed_demo_reports", "--count", "40", "--seed", "9", stdout=out)
    assert "40 demo reports created" in out.getvalue()
    call_command("seed_demo_reports", "--count", "40", stdout=out)
    assert "nothing created" in out.getvalue()
    assert Report.objects.count() == 40

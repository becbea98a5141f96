"""Report categories, reports and supports for tests that do not need the intake service.

Reports made here skip validation on purpose (selectors, rules and exports need many
reports in given states); behaviour of the write path is tested through the services.
"""

import uuid

import factory
from factory.django import DjangoModelFactory

from geo.grid import rd_cell
from reports.models import Report, ReportCategory, ReportMessage, ReportSupport
from reports.tokens import token_hash, tracking_token_for
from tests.geo.factories import AreaFactory


class ReportCategoryFactory(DjangoModelFactory):
    class Meta:
        model = ReportCategory

    slug = factory.Sequence(lambda n: f"testcategorie-{n}")
    name = factory.Sequence(lambda n: f"Testcategorie {n}")
    sensitivity = ReportCategory.Sensitivity.PUBLIC
    accepts_reports = True
    is_active = True


class ReportFactory(DjangoModelFactory):
    """A report at the label point of its buurt (pass lat/lon to place it elsewhere)."""

    class Meta:
        model = Report

    uuid = factory.LazyFunction(uuid.uuid4)
    reference = factory.Sequence(lambda n: f"BS-TEST-{n:04d}")
    # As report_create derives it, so tracking links in e-mails resolve.
    tracking_token_hash = factory.LazyAttribute(
        lambda o: token_hash(tracking_token_for(str(o.uuid)))
    )
    category = factory.SubFactory(ReportCategoryFactory)
    description = "Er ligt al een week glas op het fietspad bij de brug."
    buurt = factory.SubFactory(AreaFactory)
    lat = factory.LazyAttribute(lambda o: o.buurt.label_lat)
    lon = factory.LazyAttribute(lambda o: o.buurt.label_lon)
    grid_x = factory.LazyAttribute(lambda o: rd_cell(o.lat, o.lon)[0] if o.lat else None)
    grid_y = factory.LazyAttribute(lambda o: rd_cell(o.lat, o.lon)[1] if o.lat else None)
    status = Report.Status.NEW


class ReportSupportFactory(DjangoModelFactory):
    class Meta:
        model = ReportSupport

    report = factory.SubFactory(ReportFactory)
    user = None
    device_hash = factory.Sequence(lambda n: f"device-{n}")


class ReportMessageFactory(DjangoModelFactory):
    class Meta:
        model = ReportMessage

    report = factory.SubFactory(ReportFactory)
    kind = ReportMessage.Kind.PUBLIC
    body = "We hebben de melding doorgezet naar de wijkbeheerder."

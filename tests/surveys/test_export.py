"""CSV export: anonymous rows only, moderated open answers, formula-injection safe."""

import csv
import io

import pytest

from surveys.export import csv_safe, responses_csv_rows, responses_csv_write
from surveys.models import Invitation, OpenAnswerModeration, Response
from surveys.selectors import survey_version_published
from surveys.services import open_answer_moderate
from tests.geo.factories import AreaFactory
from tests.participation.factories import BurgerpanelFactory, UserFactory
from tests.surveys.helpers import build_survey, member, q, submit_open, submit_panel

pytestmark = pytest.mark.django_db

OVERLAST_ROWS = [{"key": "rommel", "label": "Rommel", "cluster": "fysieke_verloedering"}]
GRID_ROWS = [{"key": "r1", "label": "R1"}, {"key": "r2", "label": "R2"}]


def export(version):
    out = io.StringIO()
    count = responses_csv_write(version=version, out=out)
    return count, list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.fixture
def exported(settings, leiden):
    settings.SURVEYS_MIN_OPEN_K = 2
    from geo.models import Area

    buurt = (
        Area.objects.filter(level="buurt", code="BU05460000").first()
        or Area.objects.filter(level="buurt").order_by("code").first()
    )
    panel = BurgerpanelFactory()
    survey = build_survey(
        panel=panel,
        questions=[
            q("M", type="multiple_choice"),
            q("G", type="grid", scale="yes_no", rows=GRID_ROWS),
            q("O", type="overlast_grid", rows=OVERLAST_ROWS, allow_dont_know=True),
            q("L", type="location"),
            q("T", type="open_text"),
        ],
    )
    user = UserFactory(email="piet.panel@example.test", display_name="Piet Panel")
    membership = member(panel, user=user, buurt=buurt, age_band="45-64", sex="man")
    submit_panel(
        survey,
        membership,
        {
            "M": ["a", "c"],
            "G": {"r1": "ja", "r2": "nee"},
            "O": {"rommel": {"komt_voor": "ja", "overlast": "veel"}},
            "L": {"lat": buurt.label_lat, "lon": buurt.label_lon},
            "T": '=HYPERLINK("http://evil")',
        },
    )
    submit_open(
        survey,
        {
            "O": {"rommel": "weet_niet"},
            "L": {"buurt": buurt.code, "description": "Achter de bibliotheek"},
            "T": "Bel mij: 06-12345678",
        },
    )
    moderator = UserFactory()
    for moderation in OpenAnswerModeration.objects.all():
        if moderation.answer.value.startswith("="):
            open_answer_moderate(moderation=moderation, moderator=moderator, decision="approved")
        else:
            open_answer_moderate(
                moderation=moderation,
                moderator=moderator,
                decision="approved",
                public_text="Bel mij: [verwijderd]",
            )
    return survey, buurt, membership


def test_export_has_one_anonymous_row_per_submitted_response(exported):
    survey, buurt, _membership = exported
    version = survey_version_published(survey=survey)
    count, rows = export(version)
    assert count == 2
    header = next(responses_csv_rows(version=version))
    assert header[:7] == ["ref", "channel", "indicative", "buurt", "wijk", "age_band", "sex"]
    assert header[7:] == [
        "M", "G.r1", "G.r2", "O.rommel.komt_voor", "O.rommel.overlast",
        "L.buurt", "L.lat", "L.lon", "T",
    ]  # fmt: skip
    refs = set(Response.objects.values_list("ref", flat=True))
    assert {r["ref"] for r in rows} == refs
    assert [r["ref"] for r in rows] == sorted(refs)
    panel_row = next(r for r in rows if r["channel"] == "panel")
    assert panel_row["indicative"] == "0"
    assert (panel_row["buurt"], panel_row["wijk"]) == (buurt.code, buurt.parent_code)
    assert (panel_row["age_band"], panel_row["sex"]) == ("45-64", "man")
    assert panel_row["M"] == "a|c"
    assert (panel_row["G.r1"], panel_row["G.r2"]) == ("ja", "nee")
    assert (panel_row["O.rommel.komt_voor"], panel_row["O.rommel.overlast"]) == ("ja", "veel")
    assert panel_row["L.lat"] == str(round(buurt.label_lat, 3))
    open_row = next(r for r in rows if r["channel"] == "open_link")
    assert open_row["indicative"] == "1"
    assert open_row["O.rommel.komt_voor"] == "weet_niet"
    assert (open_row["L.buurt"], open_row["L.lat"]) == (buurt.code, "")
    assert open_row["T"] == "Bel mij: [verwijderd]"


def test_export_contains_no_personal_or_linking_data(exported):
    survey, _buurt, membership = exported
    version = survey_version_published(survey=survey)
    out = io.StringIO()
    responses_csv_write(version=version, out=out)
    text = out.getvalue()
    response = Response.objects.first()
    invitation = Invitation.objects.get()
    forbidden = [
        "piet.panel@example.test",
        "Piet Panel",
        str(membership.user.uuid),
        str(response.pk),
        invitation.token_hash,
        "06-12345678",  # original open text (only the moderated public text is exported)
        "Achter de bibliotheek",  # free-text location description
        str(response.started_at.date()),  # no timestamps
        str(response.submitted_at.date()),
    ]
    for value in forbidden:
        assert value not in text
    header = text.splitlines()[0].lower()
    for word in ("user", "member", "invitation", "token", "device", "mail", "_at", "date"):
        assert word not in header


def test_export_is_formula_injection_safe(exported):
    survey, _buurt, _membership = exported
    _count, rows = export(survey_version_published(survey=survey))
    panel_row = next(r for r in rows if r["channel"] == "panel")
    assert panel_row["T"] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-cmd", "'-cmd"),
        ("\tx", "'\tx"),
        ("-3", "-3"),
        ("-2.5", "-2.5"),
        ("gewoon", "gewoon"),
        (None, ""),
        (7, "7"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_open_answers_below_k_are_not_exported(settings):
    settings.SURVEYS_MIN_OPEN_K = 5
    survey = build_survey(questions=[q("T", type="open_text")])
    submit_open(survey, {"T": "Iets"})
    open_answer_moderate(
        moderation=OpenAnswerModeration.objects.get(), moderator=UserFactory(), decision="approved"
    )
    _count, rows = export(survey_version_published(survey=survey))
    assert rows[0]["T"] == ""


def test_export_of_an_area_without_buurt_leaves_area_columns_empty():
    AreaFactory(code="BU05469000")
    survey = build_survey(questions=[q("F", type="frequency")])
    submit_open(survey, {"F": "vaak"})
    _count, rows = export(survey_version_published(survey=survey))
    assert (rows[0]["buurt"], rows[0]["wijk"], rows[0]["F"]) == ("", "", "vaak")

"""Surveys test data. Questionnaires used by service tests are built through the services
(`tests.surveys.conftest.make_survey`), so they respect the same invariants; the factories
here serve pure validation tests (`QuestionFactory.build(...)`) and quick fixtures."""

import factory
from factory.django import DjangoModelFactory

from surveys.models import Question, Section, Survey, SurveyVersion


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    slug = factory.Sequence(lambda n: f"vragenlijst-{n}")
    title = factory.Sequence(lambda n: f"Vragenlijst {n}")
    distribution = Survey.Distribution.OPEN_LINK
    municipality_code = "GM0546"


class SurveyVersionFactory(DjangoModelFactory):
    class Meta:
        model = SurveyVersion

    survey = factory.SubFactory(SurveyFactory)
    number = 1


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    version = factory.SubFactory(SurveyVersionFactory)
    position = 0


class QuestionFactory(DjangoModelFactory):
    """Defaults to a single-choice question with options a/b/c."""

    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    version = factory.SelfAttribute("section.version")
    code = factory.Sequence(lambda n: f"Q{n + 1}")
    type = Question.Type.SINGLE_CHOICE
    text = "Een vraag?"
    options = factory.LazyAttribute(
        lambda o: (
            [
                {"value": "a", "label": "A", "label_en": "A"},
                {"value": "b", "label": "B", "label_en": "B"},
                {"value": "c", "label": "C", "label_en": "C"},
            ]
            if o.type == Question.Type.SINGLE_CHOICE
            or o.type == Question.Type.MULTIPLE_CHOICE
            or (o.type == Question.Type.GRID and o.scale == Question.Scale.OPTIONS)
            else []
        )
    )
    rows = factory.LazyFunction(list)
    scale = ""
    indicator_codes = factory.LazyFunction(list)

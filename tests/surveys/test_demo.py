"""The surveys demo (surveys.demo, used by `seed_demo`): a Leiden burgerpanel and two waves,
through the services, anonymous, with visible differences between areas and waves."""

from datetime import date

import pytest
from django.utils import timezone

from geo.models import AreaPopulation
from participation.models import PanelMembership, User
from surveys.demo import DEMO_EMAIL_DOMAIN, WAVES, surveys_demo_seed
from surveys.models import Invitation, Response, Survey
from surveys.results import indicators_compute, survey_results
from surveys.selectors import survey_version_published

pytestmark = pytest.mark.django_db

MEMBERS = 800  # smaller than the real demo (2,000) to keep the test quick


def _by_wijk(survey: Survey) -> dict[str, dict[str, float | None]]:
    results = survey_results(version=survey_version_published(survey=survey), breakdown="wijk")
    out = {}
    for group in results.groups:
        if group.suppressed:
            continue
        values = {(i.code, i.key): i.value for i in indicators_compute(questions=group.questions)}
        out[group.code] = {
            "safety_mark": values[("I4", "")],
            "unsafe": values[("I1", "")],
            "social_nuisance": values[("I6", "sociale_overlast")],
        }
    return out


def test_demo_panel_and_waves(leiden):
    # given / when
    result = surveys_demo_seed(members=MEMBERS)

    # then: members through the services, on the reserved domain, with consent
    assert result.members_created == MEMBERS
    demo_users = User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    assert demo_users.count() == MEMBERS
    assert not demo_users.filter(password__startswith="md5$").exists()  # no usable password
    memberships = PanelMembership.objects.filter(panel__slug="burgerpanel-leiden")
    assert memberships.count() == MEMBERS
    active = memberships.filter(withdrawn_at__isnull=True)
    assert MEMBERS * 0.9 < active.count() < MEMBERS  # some left between the waves
    assert not active.filter(buurt__isnull=True).exists()
    assert set(active.values_list("age_band", flat=True)) == {"15-24", "25-44", "45-64", "65+"}
    assert active.values("buurt").distinct().count() > 40
    assert {m.consent_text.body[:30] for m in active[:5]} == {"Ik doe mee aan het Burgerpanel"}

    # two closed waves in their fieldwork periods, with plausible response rates
    surveys = {s.slug: s for s in Survey.objects.filter(slug__in=[w.slug for w in WAVES])}
    assert len(surveys) == 2
    for wave in WAVES:
        survey = surveys[wave.slug]
        assert survey.status == Survey.Status.CLOSED
        assert survey.distribution == Survey.Distribution.PANEL_ONLY
        assert survey.opens_at.date() == wave.opens
        assert survey.closed_at.year == wave.year
        invited = Invitation.objects.filter(survey=survey).count()
        responded = Response.objects.filter(survey=survey, submitted_at__isnull=False).count()
        assert 0.35 < responded / invited < 0.65
        assert Response.objects.filter(survey=survey, submitted_at__isnull=True).count() == 0
        submitted = Response.objects.filter(survey=survey).values_list("submitted_at", flat=True)
        assert all(wave.opens <= s.date() < wave.closes for s in submitted)
    wave_results = {w.year: result.waves[i] for i, w in enumerate(WAVES)}
    assert wave_results[2025].invited < wave_results[2023].invited

    # anonymous like real responses: no hashes left, invitations only count, at day precision
    assert not Response.objects.exclude(resume_token_hash="").exists()
    assert not Response.objects.exclude(device_hash="").exists()
    assert not Invitation.objects.exclude(receipt_hash="").exists()
    for invitation in Invitation.objects.filter(responded_at__isnull=False)[:50]:
        local = timezone.localtime(invitation.responded_at)
        assert (local.hour, local.minute) == (0, 0)
    fields = {f.name for f in Response._meta.get_fields()}
    assert not fields & {"user", "membership", "invitation"}
    assert not Response.objects.filter(buurt__isnull=True).exists()  # copies for weighting

    # differences between areas: Leiden-Noord worse than the Boerhaavedistrict (2023)
    first, second = (surveys[w.slug] for w in WAVES)
    w2023, w2025 = _by_wijk(first), _by_wijk(second)
    noord, boerhaave = w2023["WK054603"], w2023["WK054607"]
    assert noord["safety_mark"] < boerhaave["safety_mark"] - 0.5
    assert noord["unsafe"] > boerhaave["unsafe"] + 10
    assert noord["social_nuisance"] > boerhaave["social_nuisance"] + 10
    # and a visible improvement in Leiden-Noord by 2025
    assert w2025["WK054603"]["safety_mark"] > noord["safety_mark"] + 0.2
    assert w2025["WK054603"]["social_nuisance"] < noord["social_nuisance"] - 5

    # weighting: the 2025 wave is weighted to the (partly modelled) 2024 figures; the 2023
    # wave has no figures of 2023 or earlier, so it stays unweighted and says why
    r2023 = survey_results(version=survey_version_published(survey=first))
    r2025 = survey_results(version=survey_version_published(survey=second))
    assert (r2023.weighting.weighted, r2023.weighting.reason) == (False, "no_population")
    assert r2025.weighting.weighted
    assert r2025.weighting.population_year == 2024
    assert r2025.n_eff < r2025.n  # the panel over-represents older residents
    i1 = next(i for i in indicators_compute(questions=r2025.questions) if i.code == "I1")
    assert i1.weighted
    assert i1.value != i1.unweighted_value
    assert i1.ci_low < i1.value < i1.ci_high
    gemeente = AreaPopulation.objects.get(area__code="GM0546", year=2024)
    assert gemeente.age_15_24
    assert gemeente.men
    assert "gemodelleerd" in gemeente.source
    assert gemeente.age_65_plus == 20987  # the CBS figure itself is untouched

    # when: seeding again
    again = surveys_demo_seed(members=MEMBERS)

    # then: nothing new
    assert again.members_created == 0
    assert [w.created for w in again.waves] == [False, False]
    assert User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").count() == MEMBERS
    assert Response.objects.count() == sum(w.responses for w in result.waves)
    assert date(2023, 1, 1) <= first.opens_at.date()

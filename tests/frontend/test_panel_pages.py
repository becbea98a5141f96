"""Burgerpanel pages for residents (Django test client): information, sign-up with consent,
Mijn burgerpanel (profile, consent, renewed consent) and leaving with erasure."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from geo.codes import AreaLevel
from participation.models import PanelMembership
from participation.services import user_role_grant
from surveys.models import Invitation, Response, Survey
from tests.frontend.html_audit import csp_audit
from tests.geo.factories import AreaFactory
from tests.participation.factories import (
    BurgerpanelFactory,
    ConsentTextFactory,
    PanelMembershipFactory,
    UserFactory,
    WijkraadFactory,
    WijkraadMembershipFactory,
)
from tests.surveys.helpers import build_survey, q, submit_panel

pytestmark = pytest.mark.django_db

INFO = reverse("frontend:panel")
MINE = reverse("frontend:panel-membership")
LEFT = reverse("frontend:panel-left")
CONSENT_BODY = "Ik doe mee aan het testpanel.\n\nDe gemeente mag mij uitnodigen."


@pytest.fixture
def areas():
    """Two wijken of Leiden (test codes) with three buurten, and a buurt of Amsterdam."""
    AreaFactory(level=AreaLevel.WIJK, code="WK054690", name="Noordwijk", col=0)
    AreaFactory(level=AreaLevel.WIJK, code="WK054691", name="Zuidwijk", col=1)
    return {
        "a": AreaFactory(code="BU05469000", name="Bloemenbuurt", col=0),
        "b": AreaFactory(code="BU05469001", name="Vogelbuurt", col=1),
        "c": AreaFactory(code="BU05469100", name="Havenbuurt", col=2),
        "amsterdam": AreaFactory(code="BU03639000", name="Grachtengordel", col=3),
    }


@pytest.fixture
def panel(areas):
    return BurgerpanelFactory(
        name="Burgerpanel Leiden", slug="leiden", municipality_codes=["GM0546"]
    )


@pytest.fixture
def consent(panel):
    return ConsentTextFactory(panel=panel, version=1, body=CONSENT_BODY)


@pytest.fixture
def join_url(panel):
    return reverse("frontend:panel-join", args=[panel.slug])


def _join_data(consent_text, **overrides):
    data = {
        "buurt": "BU05469001",
        "age_band": "45-64",
        "sex": "vrouw",
        "consent": "on",
        "consent_version": str(consent_text.version),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _html(response) -> str:
    return response.content.decode()


def _signed_in(client, **kwargs):
    user = UserFactory(**kwargs)
    client.force_login(user)
    return user


# --- Information page -----------------------------------------------------------------------


def test_info_page_explains_membership_and_lists_open_panels_of_this_municipality(
    client, panel, consent
):
    shared = BurgerpanelFactory(name="Regiopanel", municipality_codes=["GM0363", "GM0546"])
    ConsentTextFactory(panel=shared)
    elsewhere = BurgerpanelFactory(name="Panel Amsterdam", municipality_codes=["GM0363"])
    ConsentTextFactory(panel=elsewhere)

    response = client.get(INFO)

    html = _html(response)
    assert response.status_code == 200
    for heading in (
        "Hoe vaak krijgt u vragen?",
        "Wat bewaren we over u?",
        "Zijn uw antwoorden anoniem?",
        "Hoe stopt u?",
    ):
        assert heading in html
    assert reverse("frontend:panel-join", args=["leiden"]) in html
    assert reverse("frontend:panel-join", args=[shared.slug]) in html
    assert "Panel Amsterdam" not in html
    assert csp_audit(html).problems == []


def test_info_page_without_open_panels_says_so(client, panel):
    response = client.get(INFO)  # the panel has no published consent text
    assert "geen burgerpanel waarvoor u zich kunt aanmelden" in _html(response)


def test_info_page_tells_a_member_they_are_a_member(client, panel, consent):
    member = PanelMembershipFactory(panel=panel, consent_text=consent)
    client.force_login(member.user)
    html = _html(client.get(INFO))
    assert "U bent lid van dit burgerpanel." in html
    assert reverse("frontend:panel-join", args=["leiden"]) not in html


def test_main_navigation_links_to_the_panel_page(client, panel):
    html = _html(client.get(INFO))
    assert re.search(rf'href="{INFO}" aria-current="page">Burgerpanel<', html)


# --- Sign-up: who may --------------------------------------------------------------------------


def test_join_asks_anonymous_visitors_to_sign_in_and_returns_here(client, consent, join_url):
    response = client.get(join_url)
    html = _html(response)
    assert response.status_code == 200
    assert f"{reverse('account_login')}?next=%2Fburgerpanel%2Fleiden%2Faanmelden%2F" in html
    assert f"{reverse('account_signup')}?next=%2Fburgerpanel%2Fleiden%2Faanmelden%2F" in html
    assert 'name="consent"' not in html
    response = client.post(join_url, _join_data(consent))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not PanelMembership.objects.exists()


def test_join_is_blocked_for_an_unverified_email(client, consent, join_url):
    user = _signed_in(client, email_verified=False)

    response = client.get(join_url)

    html = _html(response)
    assert response.status_code == 200
    assert f"Uw e-mailadres {user.email} is nog niet bevestigd" in html
    assert f'action="{reverse("account_email")}"' in html
    assert 'name="action_send"' in html
    assert 'name="consent"' not in html
    assert client.post(join_url, _join_data(consent)).status_code == 403
    assert not PanelMembership.objects.exists()


def test_join_of_an_unknown_panel_is_404(client):
    _signed_in(client)
    assert client.get(reverse("frontend:panel-join", args=["bestaat-niet"])).status_code == 404


@pytest.mark.parametrize("closed", ["inactive", "no_consent_text"])
def test_join_of_a_closed_panel_explains_and_records_nothing(client, panel, join_url, closed):
    if closed == "inactive":
        ConsentTextFactory(panel=panel)
        panel.is_active = False
        panel.save()
    _signed_in(client)
    response = client.post(join_url, {"consent": "on"})
    assert "neemt op dit moment geen nieuwe leden aan" in _html(response)
    assert not PanelMembership.objects.exists()


# --- Sign-up: the form -----------------------------------------------------------------------


def test_join_form_shows_the_full_consent_text_and_an_unticked_checkbox(client, consent, join_url):
    _signed_in(client)

    html = _html(client.get(join_url))

    assert "Toestemmingstekst (versie 1)" in html
    assert "<p>Ik doe mee aan het testpanel.</p>" in html
    assert "<p>De gemeente mag mij uitnodigen.</p>" in html
    checkbox = re.search(r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert 'type="checkbox"' in checkbox
    assert "checked" not in checkbox
    assert re.search(r'<input[^>]*name="consent_version"[^>]*value="1"', html)
    # buurten grouped by wijk, only this municipality
    assert '<optgroup label="Noordwijk">' in html
    assert '<optgroup label="Zuidwijk">' in html
    assert "Grachtengordel" not in html
    assert 'value="liever_niet"' in html
    assert "zeg ik liever niet" in html
    assert csp_audit(html).problems == []


def test_join_records_consent_version_moment_and_profile(client, consent, join_url, areas):
    user = _signed_in(client)
    before = timezone.now()

    response = client.post(join_url, _join_data(consent))

    after = timezone.now()
    assert response.status_code == 302
    assert response["Location"] == MINE
    membership = PanelMembership.objects.get()
    assert membership.user == user
    assert membership.consent_text == consent
    assert before <= membership.consented_at <= after
    assert membership.buurt == areas["b"]
    assert (membership.age_band, membership.sex) == ("45-64", "vrouw")
    assert membership.withdrawn_at is None


@pytest.mark.parametrize(("sex", "stored"), [("liever_niet", "liever_niet"), (None, "")])
def test_join_with_sex_not_told(client, consent, join_url, sex, stored):
    _signed_in(client)
    client.post(join_url, _join_data(consent, sex=sex))
    assert PanelMembership.objects.get().sex == stored


def test_join_without_consent_is_refused_with_an_error_naming_the_field(client, consent, join_url):
    _signed_in(client)

    response = client.post(join_url, _join_data(consent, consent=None))

    html = _html(response)
    assert response.status_code == 200
    assert "<title>Fout:" in html
    assert 'id="error-summary"' in html
    assert 'href="#id_consent"' in html
    assert "Vink aan dat u toestemming geeft" in html
    checkbox = re.search(r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in checkbox
    assert 'aria-describedby="id_consent_error"' in checkbox
    assert 'id="id_consent_error"' in html
    # the other answers are kept
    assert re.search(r'<option value="BU05469001" selected>', html)
    assert not PanelMembership.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field_anchor", "message"),
    [
        ({"buurt": "BU03639000"}, "#id_buurt", "hoort niet bij het werkgebied"),
        ({"buurt": "BU05469999"}, "#id_buurt", "hoort niet bij het werkgebied"),
        ({"buurt": "WK054690"}, "#id_buurt", "hoort niet bij het werkgebied"),
        ({"buurt": ""}, "#id_buurt", "Kies uw buurt."),
        ({"age_band": None}, "#id_age_band_0", "Kies uw leeftijdsgroep."),
        ({"age_band": "12-14"}, "#id_age_band_0", "Kies een van de leeftijdsgroepen."),
        ({"sex": "x"}, "#id_sex_0", "Kies een van de mogelijkheden bij geslacht."),
    ],
)
def test_join_profile_validation(client, consent, join_url, overrides, field_anchor, message):
    _signed_in(client)

    response = client.post(join_url, _join_data(consent, **overrides))

    html = _html(response)
    assert response.status_code == 200
    assert f'href="{field_anchor}"' in html
    assert message in html
    assert not PanelMembership.objects.exists()


def test_join_after_a_new_consent_version_asks_to_consent_again(client, panel, consent, join_url):
    # given: the resident read version 1; version 2 was published before they submitted
    _signed_in(client)
    client.get(join_url)
    ConsentTextFactory(panel=panel, version=2, body="Nieuwe tekst, versie twee.")

    response = client.post(join_url, _join_data(consent))

    html = _html(response)
    assert response.status_code == 200
    assert "De toestemmingstekst is intussen gewijzigd" in html
    assert "Nieuwe tekst, versie twee." in html
    assert re.search(r'<input[^>]*name="consent_version"[^>]*value="2"', html)
    checkbox = re.search(r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert "checked" not in checkbox
    assert not PanelMembership.objects.exists()
    # consenting to the new version works
    client.post(join_url, _join_data(consent, consent_version="2"))
    assert PanelMembership.objects.get().consent_text.version == 2


def test_join_twice_is_refused(client, consent, join_url):
    _signed_in(client)
    client.post(join_url, _join_data(consent))

    get = client.get(join_url)
    post = client.post(join_url, _join_data(consent))

    assert get.status_code == post.status_code == 302
    assert get["Location"] == post["Location"] == MINE
    assert PanelMembership.objects.count() == 1


# --- Mijn burgerpanel ------------------------------------------------------------------------


@pytest.fixture
def member(client, panel, consent, areas):
    membership = PanelMembershipFactory(
        panel=panel,
        consent_text=consent,
        buurt=areas["a"],
        age_band="25-44",
        sex="man",
        consented_at=timezone.now() - timedelta(days=30),
    )
    client.force_login(membership.user)
    return membership


def test_membership_page_shows_consent_and_profile(client, member):
    other = PanelMembershipFactory(panel=member.panel, consent_text=member.consent_text)
    other.buurt = AreaFactory(code="BU05469002", name="Anderebuurt", col=5)
    other.save()

    html = _html(client.get(MINE))

    assert "Burgerpanel Leiden" in html
    assert "Versie van de tekst" in html
    assert timezone.localtime(member.consented_at).strftime("%Y") in html
    assert "Bloemenbuurt" in html
    assert "25 tot 45 jaar" in html
    assert "Anderebuurt" not in html
    assert other.user.email not in html
    assert "nieuwe toestemmingstekst" not in html
    assert csp_audit(html).problems == []


def test_membership_page_for_a_non_member_offers_sign_up(client, consent):
    _signed_in(client)
    html = _html(client.get(MINE))
    assert "U bent geen lid van een burgerpanel." in html
    assert reverse("frontend:panel-join", args=["leiden"]) in html


def test_consent_page_shows_the_text_agreed_to(client, member):
    response = client.get(reverse("frontend:panel-consent", args=["leiden"]))
    html = _html(response)
    assert "<p>Ik doe mee aan het testpanel.</p>" in html
    assert 'name="consent"' not in html


def test_new_consent_version_asks_the_member_to_consent_again(client, member, panel):
    # given
    newer = ConsentTextFactory(panel=panel, version=2, body="Versie twee van de tekst.")
    consent_url = reverse("frontend:panel-consent", args=["leiden"])
    assert "Er is een nieuwe toestemmingstekst." in _html(client.get(MINE))
    html = _html(client.get(consent_url))
    assert "Versie twee van de tekst." in html
    assert "Ik doe mee aan het testpanel." in html  # the text agreed to before
    # when: submitting without ticking the box
    response = client.post(consent_url, {"consent_version": "2"})
    assert 'href="#id_consent"' in _html(response)
    member.refresh_from_db()
    assert member.consent_text.version == 1
    # when: consenting
    before = timezone.now()
    response = client.post(consent_url, {"consent": "on", "consent_version": "2"})
    # then
    assert response["Location"] == MINE
    member.refresh_from_db()
    assert member.consent_text == newer
    assert member.consented_at >= before
    assert "Er is een nieuwe toestemmingstekst." not in _html(client.get(MINE))


def test_profile_update(client, member, areas):
    url = reverse("frontend:panel-profile", args=["leiden"])
    html = _html(client.get(url))
    assert re.search(r'<option value="BU05469000" selected>', html)

    response = client.post(url, {"buurt": "BU05469100", "age_band": "65+", "sex": "liever_niet"})

    assert response["Location"] == MINE
    member.refresh_from_db()
    assert (member.buurt, member.age_band, member.sex) == (areas["c"], "65+", "liever_niet")


def test_profile_update_rejects_a_buurt_outside_the_municipality(client, member, areas):
    url = reverse("frontend:panel-profile", args=["leiden"])
    response = client.post(url, {"buurt": "BU03639000", "age_band": "65+", "sex": ""})
    assert 'href="#id_buurt"' in _html(response)
    member.refresh_from_db()
    assert (member.buurt, member.age_band) == (areas["a"], "25-44")


# --- Leaving ---------------------------------------------------------------------------------


def test_leave_explains_then_erases_personal_data_and_keeps_answers_anonymous(
    client, member, panel
):
    # given: the member answered a panel survey
    survey = build_survey(
        distribution=Survey.Distribution.PANEL_ONLY, panel=panel, questions=[q("Q1")]
    )
    response_row = submit_panel(survey, member, {"Q1": "b"})
    user = member.user
    leave_url = reverse("frontend:panel-leave", args=["leiden"])
    html = _html(client.get(leave_url))
    assert "blijven anoniem bewaard" in html
    assert "We wissen uw buurt, leeftijdsgroep en geslacht" in html

    # when
    response = client.post(leave_url)

    # then: confirmation
    assert response["Location"] == LEFT
    left = _html(client.get(LEFT))
    assert "U bent geen lid meer van Burgerpanel Leiden." in left
    assert "Burgerpanel Leiden" not in _html(client.get(LEFT))  # shown once
    # personal data erased; only an anonymous record of consent given and withdrawn remains
    member.refresh_from_db()
    assert member.user is None
    assert member.buurt is None
    assert (member.age_band, member.sex) == ("", "")
    assert member.withdrawn_at is not None
    assert member.consent_text.version == 1
    assert not PanelMembership.objects.filter(user=user).exists()
    # the answers stay, and nothing links them to the person
    kept = Response.objects.get(pk=response_row.pk)
    assert kept.submitted_at is not None
    assert kept.answers.exists()
    assert {f.name for f in Response._meta.get_fields()}.isdisjoint(
        {"user", "membership", "invitation"}
    )
    invitation = Invitation.objects.get(survey=survey)
    assert invitation.membership_id == member.pk
    assert invitation.membership.user is None
    # and the former member is no longer a member
    assert "U bent geen lid van een burgerpanel." in _html(client.get(MINE))
    assert client.get(leave_url).status_code == 404


# --- Permission matrix -----------------------------------------------------------------------

ROLES = (
    "anonymous",
    "resident",
    "resident_unverified",
    "panel_member",
    "wijkraad_member",
    "policy_staff",
    "moderator",
    "administrator",
)


def _make(role, panel, consent):
    if role == "anonymous":
        return None
    if role == "resident_unverified":
        return UserFactory(email_verified=False)
    user = UserFactory()
    if role == "panel_member":
        PanelMembershipFactory(user=user, panel=panel, consent_text=consent)
    elif role == "wijkraad_member":
        WijkraadMembershipFactory(user=user, wijkraad=WijkraadFactory())
    elif role in ("policy_staff", "moderator", "administrator"):
        user_role_grant(user=user, role_key=role, granted_by=None)
    return user


LOGIN = "login"
FORM, EXPLAIN, TO_MINE = "form", "explain", "to_mine"
# fmt: off
# Requests in this order; the sign-up POST comes last, since it makes the user a member.
#                           info  join GET  mine  profile  consent  leave POST  join POST
EXPECTED = {
    "anonymous":           (200,  EXPLAIN,  LOGIN, LOGIN,  LOGIN,   LOGIN,      LOGIN),
    "resident":            (200,  FORM,     200,   404,    404,     404,        TO_MINE),
    "resident_unverified": (200,  EXPLAIN,  200,   404,    404,     404,        403),
    "panel_member":        (200,  TO_MINE,  200,   200,    200,     LEFT,       TO_MINE),
    "wijkraad_member":     (200,  FORM,     200,   404,    404,     404,        TO_MINE),
    "policy_staff":        (200,  FORM,     200,   404,    404,     404,        TO_MINE),
    "moderator":           (200,  FORM,     200,   404,    404,     404,        TO_MINE),
    "administrator":       (200,  FORM,     200,   404,    404,     404,        TO_MINE),
}
# fmt: on


def _outcome(response) -> object:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        if location == MINE:
            return TO_MINE
        return location
    if response.status_code == 200 and 'name="consent"' in _html(response):
        return FORM
    if response.status_code == 200 and "aanmelden" in response.request["PATH_INFO"]:
        return EXPLAIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, role, panel, consent, join_url):
    user = _make(role, panel, consent)
    if user is not None:
        client.force_login(user)
    slug_urls = [
        reverse(name, args=["leiden"])
        for name in ("frontend:panel-profile", "frontend:panel-consent")
    ]
    outcomes = (
        client.get(INFO).status_code,
        _outcome(client.get(join_url)),
        _outcome(client.get(MINE)),
        *(_outcome(client.get(url)) for url in slug_urls),
        _outcome(client.post(reverse("frontend:panel-leave", args=["leiden"]))),
        _outcome(client.post(join_url, _join_data(consent, buurt="BU05469000"))),
    )
    assert outcomes == EXPECTED[role]
    joined = role not in ("anonymous", "resident_unverified")
    assert PanelMembership.objects.filter(withdrawn_at__isnull=True).count() == int(joined)


def test_a_member_cannot_reach_another_members_pages_by_slug(client, panel, consent):
    other_panel = BurgerpanelFactory(slug="ander-panel")
    ConsentTextFactory(panel=other_panel)
    stranger = PanelMembershipFactory(panel=other_panel)
    PanelMembershipFactory(user=_signed_in(client), panel=panel, consent_text=consent)

    for name in ("frontend:panel-profile", "frontend:panel-consent", "frontend:panel-leave"):
        assert client.get(reverse(name, args=["ander-panel"])).status_code == 404
    assert client.post(reverse("frontend:panel-leave", args=["ander-panel"])).status_code == 404
    stranger.refresh_from_db()
    assert stranger.withdrawn_at is None

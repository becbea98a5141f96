"""Accounts, wijkraden and burgerpanels for the participation tests.

Areas come from tests.geo.factories.AreaFactory. Role holders are made with the services
(`staff_user` in conftest), so the role groups stay the ones participation.roles defines.
"""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from participation.models import (
    Burgerpanel,
    ConsentText,
    PanelMembership,
    User,
    Wijkraad,
    WijkraadMembership,
)
from participation.selectors import consent_text_current

TEST_PASSWORD = "Proef-wachtwoord-2026"


class UserFactory(DjangoModelFactory):
    """An active account with a usable password and, unless `email_verified=False`, a
    verified primary allauth e-mail address."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"inwoner{n}@example.test")
    display_name = factory.Sequence(lambda n: f"Inwoner {n}")
    password = Password(TEST_PASSWORD)
    is_active = True

    @factory.post_generation
    def email_verified(self: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if not create:
            return
        EmailAddress.objects.create(
            user=self,
            email=self.email,
            verified=True if extracted is None else extracted,
            primary=True,
        )


class WijkraadFactory(DjangoModelFactory):
    class Meta:
        model = Wijkraad
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Wijkraad {n}")
    slug = factory.Sequence(lambda n: f"wijkraad-{n}")
    is_active = True

    @factory.post_generation
    def areas(self: Wijkraad, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.areas.set(extracted)


class WijkraadMembershipFactory(DjangoModelFactory):
    class Meta:
        model = WijkraadMembership

    user = factory.SubFactory(UserFactory)
    wijkraad = factory.SubFactory(WijkraadFactory)
    role = WijkraadMembership.Role.LID


class BurgerpanelFactory(DjangoModelFactory):
    class Meta:
        model = Burgerpanel

    name = factory.Sequence(lambda n: f"Burgerpanel {n}")
    slug = factory.Sequence(lambda n: f"burgerpanel-{n}")
    municipality_codes = factory.LazyFunction(lambda: ["GM0546"])
    is_active = True


class ConsentTextFactory(DjangoModelFactory):
    """A published consent text (pass `published_at=None` for a draft)."""

    class Meta:
        model = ConsentText

    panel = factory.SubFactory(BurgerpanelFactory)
    version = factory.Sequence(lambda n: n + 1)
    body = "Ik geef toestemming om uitgenodigd te worden voor vragenlijsten."
    published_at = factory.LazyFunction(timezone.now)


class PanelMembershipFactory(DjangoModelFactory):
    class Meta:
        model = PanelMembership

    user = factory.SubFactory(UserFactory)
    panel = factory.SubFactory(BurgerpanelFactory)
    # The panel's current text, as a member who joins now agrees to (a new one if none yet).
    consent_text = factory.LazyAttribute(
        lambda o: consent_text_current(panel=o.panel) or ConsentTextFactory(panel=o.panel)
    )
    buurt = None
    age_band = PanelMembership.AgeBand.AGE_25_44
    sex = PanelMembership.Sex.VROUW
    consented_at = factory.LazyFunction(timezone.now)

"""People: accounts and what they take part in."""

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PublicIdModel
from participation.managers import UserManager


class User(PublicIdModel, AbstractBaseUser, PermissionsMixin):
    """An account, identified by e-mail. Roles are groups holding capability permissions
    (see participation.roles); wijkraad and panel membership are data, not groups."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    display_name = models.CharField(_("naam"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("toegang tot Django-admin"),
        default=False,
        help_text=_("Alleen voor technisch beheer; rollen regelen de toegang tot Buurtstem."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        permissions = [
            ("use_staff_pages", _("Kan de medewerkerspagina's gebruiken")),
            ("do_policy_work", _("Kan analyseren en bewijs voor het veiligheidsplan opstellen")),
            ("moderate_content", _("Kan meldingen en open antwoorden modereren")),
            ("administer_platform", _("Kan gebieden, rollen en instellingen beheren")),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

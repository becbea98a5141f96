from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Deelname")

    def ready(self) -> None:
        from participation.receivers import roles_sync_after_migrate

        post_migrate.connect(
            roles_sync_after_migrate,
            sender=self,
            dispatch_uid="participation.roles_sync_after_migrate",
        )

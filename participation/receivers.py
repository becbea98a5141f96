"""Keep the staff role groups in step with participation.roles after every `migrate`."""

from typing import Any

from django.apps import AppConfig
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS


def roles_sync_after_migrate(
    sender: AppConfig, *, apps: Apps | None = None, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """post_migrate handler (connected for the participation app only, so auth's handler has
    created the capability permissions already)."""
    if using != DEFAULT_DB_ALIAS:
        return
    if apps is not None:
        # Migrating backwards (e.g. to zero): nothing to sync when the models are gone.
        try:
            apps.get_model("participation", "User")
            apps.get_model("auth", "Group")
        except LookupError:
            return
    from participation.services import roles_sync

    roles_sync()

from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule

# django-leaflet's admin module needs GDAL (GeoDjango), which Buurtstem does not use
# (docs/adr/0001); its assets and template tags work without it.
ADMIN_AUTODISCOVER_SKIP = {"leaflet"}


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # The admin runs as SimpleAdminConfig; discover admin modules here, minus the skips.
        for app_config in apps.get_app_configs():
            if app_config.name in ADMIN_AUTODISCOVER_SKIP:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Laget: access and audit"

    def ready(self) -> None:
        from . import schema, signals  # noqa: F401 (audit receivers; OpenAPI extension)


class LagetAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.admin_site.LagetAdminSite"

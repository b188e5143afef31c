from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vanthu.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from vanthu.core import api_schema  # noqa: F401  (registers the OpenAPI Bearer scheme)

from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    name = "routines"
    verbose_name = "Massage routines"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)

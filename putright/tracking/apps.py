from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "putright.tracking"
    label = "tracking"
    verbose_name = "Promised actions"

    def ready(self) -> None:
        from putright.tracking import receivers  # noqa: F401

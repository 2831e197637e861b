from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PrivacyConfig(AppConfig):
    name = "putright.privacy"
    label = "privacy"
    verbose_name = "Personal data: append-only history, subject access and retention"

    def ready(self) -> None:
        from putright.privacy import checks  # noqa: F401  (registers the system checks)
        from putright.privacy.append_only import reinstall_after_migrate

        # After every migrate: on SQLite a later migration that rebuilds a history table drops
        # its triggers with it, so they are put back (and brought up to date) each time.
        post_migrate.connect(reinstall_after_migrate, sender=self, dispatch_uid="privacy-guards")

from django.apps import AppConfig


class OmbudsmanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "putright.ombudsman"
    verbose_name = "Ombudsman casework"

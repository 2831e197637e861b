from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "putright.core"
    label = "core"
    verbose_name = "PutRight core"

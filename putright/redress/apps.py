from django.apps import AppConfig


class RedressConfig(AppConfig):
    name = "putright.redress"
    label = "redress"
    verbose_name = "Putting things right"

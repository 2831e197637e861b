from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "putright.outbox"
    label = "outbox"
    verbose_name = "Outbox"

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "putright.jobs"
    label = "jobs"
    verbose_name = "Scheduled jobs"

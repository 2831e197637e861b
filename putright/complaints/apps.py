from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "putright.complaints"
    label = "complaints"

    def ready(self) -> None:
        from putright.complaints.receivers import recompute_on_calendar_change
        from putright.organisation.signals import calendar_changed

        calendar_changed.connect(
            recompute_on_calendar_change, dispatch_uid="complaints.recompute_deadlines"
        )

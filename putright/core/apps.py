from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class CoreConfig(AppConfig):
    name = "putright.core"
    label = "core"
    verbose_name = "PutRight core"

    def ready(self) -> None:
        from putright.core.middleware import record_sign_in_time

        user_logged_in.connect(record_sign_in_time, dispatch_uid="putright-sign-in-time")

        from putright.core.security_log import connect_signals

        connect_signals()  # sign-ins, failures, lockouts and sign-outs into the security log

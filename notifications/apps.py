from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications (알림)"

    def ready(self) -> None:
        # the registry and the feed announce their facts; this app listens (they never import it)
        from notifications import receivers

        receivers.connect()

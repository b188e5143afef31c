from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "vanthu.exchange"
    label = "exchange"
    verbose_name = _("Document exchange")

    def ready(self) -> None:
        from vanthu.audit.labels import register_action_labels
        from vanthu.documents.policies import register_visibility
        from vanthu.exchange.events import ACTION_LABELS
        from vanthu.exchange.policies import documents_delivered_to

        register_action_labels(ACTION_LABELS)
        register_visibility("exchange", documents_delivered_to)

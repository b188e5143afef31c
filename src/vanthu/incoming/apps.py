from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncomingConfig(AppConfig):
    name = "vanthu.incoming"
    label = "incoming"
    verbose_name = _("Incoming documents")

    def ready(self) -> None:
        from vanthu.audit.labels import register_action_labels
        from vanthu.documents.links import register_detail_links
        from vanthu.documents.policies import register_visibility
        from vanthu.documents.services.text import register_text_source
        from vanthu.exchange.signals import delivery_arrived
        from vanthu.incoming.demo import on_demo_province_loaded
        from vanthu.incoming.events import ACTION_LABELS
        from vanthu.incoming.policies import incoming_document_visibility
        from vanthu.incoming.selectors import document_links
        from vanthu.incoming.selectors import document_texts
        from vanthu.incoming.services.receipt import on_delivery_arrived
        from vanthu.incoming.signals import verification_requested
        from vanthu.incoming.tasks import on_verification_requested
        from vanthu.org.signals import demo_province_loaded

        register_action_labels(ACTION_LABELS)
        register_visibility("incoming", incoming_document_visibility)
        register_text_source("incoming", document_texts)
        register_detail_links("incoming", document_links)
        delivery_arrived.connect(on_delivery_arrived, dispatch_uid="incoming-receive-deliveries")
        verification_requested.connect(on_verification_requested, dispatch_uid="incoming-verify")
        demo_province_loaded.connect(on_demo_province_loaded, dispatch_uid="incoming-demo")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutgoingConfig(AppConfig):
    name = "vanthu.outgoing"
    label = "outgoing"
    verbose_name = _("Outgoing documents")

    def ready(self) -> None:
        from vanthu.audit.labels import register_action_labels
        from vanthu.documents.links import register_detail_links
        from vanthu.documents.policies import register_visibility
        from vanthu.org.signals import demo_province_loaded
        from vanthu.outgoing.demo import on_demo_province_loaded
        from vanthu.outgoing.events import ACTION_LABELS
        from vanthu.outgoing.policies import outgoing_document_visibility
        from vanthu.outgoing.selectors import document_links

        register_action_labels(ACTION_LABELS)
        register_visibility("outgoing", outgoing_document_visibility)
        register_detail_links("outgoing", document_links)
        demo_province_loaded.connect(on_demo_province_loaded, dispatch_uid="outgoing-demo")

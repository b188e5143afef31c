from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "vanthu.signing"
    label = "signing"
    verbose_name = _("Digital signatures")

    def ready(self) -> None:
        from vanthu.audit.labels import register_action_labels
        from vanthu.org.signals import demo_province_loaded
        from vanthu.signing.demo import on_demo_province_loaded
        from vanthu.signing.events import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
        demo_province_loaded.connect(on_demo_province_loaded, dispatch_uid="signing-demo")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "vanthu.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from vanthu.audit.labels import register_action_labels
        from vanthu.documents.events import ACTION_LABELS
        from vanthu.documents.reference_data import on_post_migrate
        from vanthu.documents.signals import file_conversion_requested
        from vanthu.documents.signals import file_ocr_requested
        from vanthu.documents.signals import file_ready
        from vanthu.documents.tasks import on_file_conversion_requested
        from vanthu.documents.tasks import on_file_ocr_requested
        from vanthu.documents.tasks import on_file_ready

        register_action_labels(ACTION_LABELS)
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="documents-reference-data")
        file_conversion_requested.connect(on_file_conversion_requested, dispatch_uid="documents-convert-file")
        file_ocr_requested.connect(on_file_ocr_requested, dispatch_uid="documents-ocr-file")
        file_ready.connect(on_file_ready, dispatch_uid="documents-thumbnail")

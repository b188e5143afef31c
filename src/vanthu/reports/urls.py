from __future__ import annotations

from django.urls import path

from vanthu.reports.views import registers
from vanthu.reports.views import statistics

app_name = "reports"
urlpatterns = [
    path("", statistics.statistics, name="statistics"),
    path("export.xlsx", statistics.export_xlsx, name="export_xlsx"),
    path("export.pdf", statistics.export_pdf, name="export_pdf"),
    path("documents/", statistics.documents, name="documents"),
    path("compliance/", statistics.compliance, name="compliance"),
    path("compliance/targets/", statistics.target_change, name="target_change"),
    path("sent/", statistics.generated, name="generated"),
    path("rules/", statistics.rules, name="rules"),
    path("rules/save/", statistics.rule_save, name="rule_save"),
    path("sent/<int:pk>.<str:fmt>", statistics.generated_file, name="generated_file"),
    path("registers/outgoing/<int:pk>.pdf", registers.outgoing_pdf, name="register_outgoing_pdf"),
    path("registers/incoming/<int:pk>.pdf", registers.incoming_pdf, name="register_incoming_pdf"),
    path("registers/follow-up/<int:pk>.pdf", registers.follow_up_pdf, name="register_follow_up_pdf"),
    path("registers/post.pdf", registers.post_pdf, name="register_post_pdf"),
]

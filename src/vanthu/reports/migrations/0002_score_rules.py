"""The default rules of the yearly IT-use evaluation (bonus and penalty points), to be adapted by
the province in the administration."""

from typing import Any

from django.db import migrations

DEFAULT_RULES = [
    ("Văn bản đi ban hành điện tử đạt 100 %", "out_electronic_rate", "GTE", 100, 2),
    ("Văn bản đến được xử lý trên môi trường mạng đạt 100 %", "in_processed_rate", "GTE", 100, 2),
    ("Giải quyết văn bản đến đúng hạn từ 95 % trở lên", "on_time_rate", "GTE", 95, 1),
    ("Văn bản đi ban hành điện tử dưới 90 %", "out_electronic_rate", "LT", 90, -2),
    ("Văn bản đến xử lý trên môi trường mạng dưới 80 %", "in_processed_rate", "LT", 80, -2),
    ("Giải quyết văn bản đến đúng hạn dưới 70 %", "on_time_rate", "LT", 70, -1),
]


def add_rules(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("reports", "ScoreRule")
    for ordinal, (label, measure, comparison, threshold, points) in enumerate(DEFAULT_RULES, start=1):
        rule.objects.get_or_create(
            label=label,
            defaults={
                "measure": measure,
                "comparison": comparison,
                "threshold": threshold,
                "points": points,
                "ordinal": ordinal,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]

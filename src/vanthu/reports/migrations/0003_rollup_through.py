"""A rollup says until when it counted (the month's end, or the start of the day for the month in
progress). Rollups made before are dropped: the daily job makes them again from the events."""

from typing import Any

from django.db import migrations
from django.db import models


def drop_rollups(apps: Any, schema_editor: Any) -> None:
    apps.get_model("reports", "MonthlyRollup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_score_rules")]

    operations = [
        migrations.RunPython(drop_rollups, migrations.RunPython.noop),
        migrations.AddField(
            model_name="monthlyrollup",
            name="through",
            field=models.DateTimeField(default=None, verbose_name="counted until"),
            preserve_default=False,
        ),
    ]

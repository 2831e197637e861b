"""Indexes for the report's period filters on stages (issue 22): received and acknowledged in a
period at one stage. Without them each of those figures read every stage ever recorded."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0011_action_team_evidence_updates"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="stage",
            index=models.Index(fields=["number", "received_on"], name="stage_received_idx"),
        ),
        migrations.AddIndex(
            model_name="stage",
            index=models.Index(
                fields=["number", "acknowledged_on"], name="stage_acknowledged_idx"
            ),
        ),
    ]

"""Covering indexes for the annual report (issue 22). The period indexes of 0012 found a year's
stages but every figure then read each stage's row, and each complaint's row through the join,
for one or two columns: these hold those columns, so the report is counted from indexes. They
replace 0012's indexes and the responses index, whose columns they begin with."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0012_stage_period_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='stage',
            name='stage_responded_idx',
        ),
        migrations.RemoveIndex(
            model_name='stage',
            name='stage_received_idx',
        ),
        migrations.RemoveIndex(
            model_name='stage',
            name='stage_acknowledged_idx',
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['id', 'status', 'tenure_at_receipt', 'channel', 'category', 'business_area', 'complainant'], name='complaint_report_cover_idx'),
        ),
        migrations.AddIndex(
            model_name='decision',
            index=models.Index(fields=['point', 'finding'], name='decision_point_finding_idx'),
        ),
        migrations.AddIndex(
            model_name='stage',
            index=models.Index(fields=['responded_on', 'number', 'complaint', 'outcome', 'response_within_code', 'response_within_extension', 'extended_due', 'received_on'], name='stage_responded_cover_idx'),
        ),
        migrations.AddIndex(
            model_name='stage',
            index=models.Index(fields=['number', 'received_on', 'complaint'], name='stage_received_cover_idx'),
        ),
        migrations.AddIndex(
            model_name='stage',
            index=models.Index(fields=['number', 'acknowledged_on', 'ack_within_code'], name='stage_ack_cover_idx'),
        ),
    ]

"""One row per periodic job per day it ran: the unique constraint is what makes a job run once
a day however many workers are running (DESIGN.md section 8.5)."""

from django.db import models

from putright.core.dates import long_date


class ScheduledRun(models.Model):
    job = models.CharField(max_length=60)
    day = models.DateField(help_text="The day (Europe/London) this run is for.")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="one_run_per_job_a_day")]
        ordering = ["-day", "job"]

    def __str__(self) -> str:
        return f"{self.job} for {long_date(self.day)}"

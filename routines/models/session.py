"""A running (or finished) session: the server owns which step is on and when it ends."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q


class SessionRun(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", "running"
        PAUSED = "paused", "paused"
        FINISHED = "finished", "finished"
        STOPPED = "stopped", "stopped"

    class StopReason(models.TextChoices):
        NONE = "", "—"
        PAIN = "pain", "stopped for pain"
        USER = "user", "stopped by the person"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_runs"
    )
    routine = models.ForeignKey(
        "routines.Routine", null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    course_session = models.OneToOneField(
        "routines.CourseSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="run",
    )
    title = models.CharField(max_length=120)
    plan = models.JSONField(help_text="The steps frozen at the start, with their warnings.")
    current_index = models.PositiveSmallIntegerField(default=0)
    step_started_at = models.DateTimeField()
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.FloatField(default=0, help_text="Pause time within the current step.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    stop_reason = models.CharField(max_length=10, choices=StopReason.choices, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    day_check = models.JSONField(default=dict, blank=True)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_before__isnull=True) | Q(pain_before__lte=10),
                name="run_pain_before_range",
            ),
            models.CheckConstraint(
                condition=Q(pain_after__isnull=True) | Q(pain_after__lte=10),
                name="run_pain_after_range",
            ),
            models.CheckConstraint(
                condition=Q(paused_seconds__gte=0), name="run_paused_seconds_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def is_live(self) -> bool:
        return self.state in {self.State.RUNNING, self.State.PAUSED}

    @property
    def current_step(self) -> dict | None:
        if 0 <= self.current_index < len(self.plan):
            return self.plan[self.current_index]
        return None

    def step_seconds(self) -> int:
        step = self.current_step
        return int(step["duration_s"]) if step else 0

    def elapsed(self, now: dt.datetime) -> float:
        """Seconds of the current step actually worked (pauses excluded)."""
        until = self.paused_at if self.paused_at else now
        return max(0.0, (until - self.step_started_at).total_seconds() - self.paused_seconds)

    def remaining(self, now: dt.datetime) -> float:
        return max(0.0, self.step_seconds() - self.elapsed(now))

    def step_ends_at(self) -> dt.datetime | None:
        """Wall-clock end of the running step; None while paused or over."""
        if self.state != self.State.RUNNING:
            return None
        return self.step_started_at + dt.timedelta(
            seconds=self.step_seconds() + self.paused_seconds
        )


class RunEvent(models.Model):
    class Kind(models.TextChoices):
        START = "start", "started"
        COMPLETE = "complete", "step completed"
        SKIP = "skip", "step skipped"
        BACK = "back", "went back"
        REPEAT = "repeat", "repeated the step"
        PAUSE = "pause", "paused"
        RESUME = "resume", "resumed"
        LOWER = "lower", "intensity lowered for pain"
        STOP = "stop", "stopped"
        FINISH = "finish", "finished"

    run = models.ForeignKey(SessionRun, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    step_index = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} @ step {self.step_index}"

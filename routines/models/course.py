"""Courses of 10-15 sessions that start gently and progress."""

from django.conf import settings
from django.db import models
from django.db.models import Q

MIN_SESSIONS = 10
MAX_SESSIONS = 15


class Course(models.Model):
    class Rhythm(models.TextChoices):
        EVERY_OTHER_DAY = "every_other_day", "every other day"
        DAILY = "daily", "daily"

    class Status(models.TextChoices):
        ACTIVE = "active", "active"
        FINISHED = "finished", "finished"
        STOPPED = "stopped", "stopped"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="courses"
    )
    routine = models.ForeignKey(
        "routines.Routine", null=True, blank=True, on_delete=models.SET_NULL, related_name="courses"
    )
    name = models.CharField(max_length=120)
    total_sessions = models.PositiveSmallIntegerField(default=12)
    rhythm = models.CharField(max_length=16, choices=Rhythm.choices, default=Rhythm.EVERY_OTHER_DAY)
    start_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    stop_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_sessions__gte=MIN_SESSIONS) & Q(total_sessions__lte=MAX_SESSIONS),
                name="course_sessions_10_to_15",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def interval_days(self) -> int:
        return 1 if self.rhythm == self.Rhythm.DAILY else 2


class CourseSession(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "planned"
        DONE = "done", "done"
        STOPPED = "stopped", "stopped for pain"
        POSTPONED = "postponed", "postponed"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    index = models.PositiveSmallIntegerField()
    planned_date = models.DateField()
    target_minutes = models.PositiveSmallIntegerField()
    max_intensity = models.PositiveSmallIntegerField()
    plan = models.JSONField(default=list, help_text="Steps after the rules, frozen when planned.")
    removed = models.JSONField(default=list, help_text="What the rules took out, and why.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    held_back_reason = models.CharField(max_length=300, blank=True)
    minutes_done = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["course", "index"]
        constraints = [
            models.UniqueConstraint(fields=["course", "index"], name="course_session_index_once"),
            models.CheckConstraint(
                condition=Q(index__gte=1) & Q(index__lte=MAX_SESSIONS), name="course_session_index"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} — session {self.index}"

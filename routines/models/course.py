"""Courses of 10-15 sessions that start gently and progress."""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .vocab import Intensity

MIN_SESSIONS = 10
MAX_SESSIONS = 15
PENDING = ("planned", "postponed")
HELD = ("done", "stopped")
# A new course is suggested about three months after the last one: 2-4 courses a year (seed 002).
DAYS_UNTIL_NEXT_COURSE = 91


class CourseQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def with_progress(self, today: dt.date):
        """Sessions held, days missed and the next session, in the same query as the course."""
        pending = CourseSession.objects.filter(course=OuterRef("pk"), status__in=PENDING)
        upcoming = pending.order_by("index")
        return self.annotate(
            held_count=Count("sessions", filter=Q(sessions__status__in=HELD), distinct=True),
            missed_count=Count(
                "sessions",
                filter=Q(sessions__status__in=PENDING, sessions__planned_date__lt=today),
                distinct=True,
            ),
            next_index=Subquery(upcoming.values("index")[:1]),
            next_date=Subquery(upcoming.values("planned_date")[:1]),
            next_reason=Subquery(upcoming.values("held_back_reason")[:1]),
        )


class Course(models.Model):
    class Rhythm(models.TextChoices):
        EVERY_OTHER_DAY = "every_other_day", pgettext_lazy("rhythm", "every other day")
        DAILY = "daily", pgettext_lazy("rhythm", "daily")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("course status", "active")
        FINISHED = "finished", pgettext_lazy("course status", "finished")
        STOPPED = "stopped", pgettext_lazy("course status", "stopped")

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

    objects = CourseQuerySet.as_manager()

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

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("routines:course-detail", args=[self.pk])

    @property
    def interval_days(self) -> int:
        return 1 if self.rhythm == self.Rhythm.DAILY else 2

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @transaction.atomic
    def postpone_until(self, until: dt.date, reason: str, *, from_index: int | None = None) -> int:
        """Move every session still to do (from `from_index`) so the first falls on `until`.

        All of them shift by the same gap, so the rhythm stays as planned. Returns the gap in days
        (0 when nothing needed to move).
        """
        pending = list(
            self.sessions.select_for_update().filter(status__in=PENDING).order_by("index")
        )
        if from_index is not None:
            pending = [s for s in pending if s.index >= from_index]
        if not pending:
            return 0
        gap = (until - pending[0].planned_date).days
        if gap <= 0:
            return 0
        note = (
            _("Postponed to %(date)s: %(reason)s")
            % {"date": dateformat.format(until, "j E Y"), "reason": reason}
            if reason
            else ""
        )[:300]
        for session in pending:
            if session.planned_date < until:
                session.status = CourseSession.Status.POSTPONED
                if note:
                    session.held_back_reason = note
            session.planned_date += dt.timedelta(days=gap)
        CourseSession.objects.bulk_update(pending, ["planned_date", "status", "held_back_reason"])
        return gap

    def stop(self, reason: str) -> None:
        """End the course early; the sessions already held stay in its history."""
        self.status = self.Status.STOPPED
        self.stop_reason = reason[:300]
        self.save(update_fields=["status", "stop_reason"])

    def finish_if_complete(self) -> bool:
        if self.status != self.Status.ACTIVE or self.sessions.filter(status__in=PENDING).exists():
            return False
        self.status = self.Status.FINISHED
        self.save(update_fields=["status"])
        return True

    def suggested_next_start(self, sessions=None) -> dt.date:
        """About three months after the last session of this course."""
        sessions = list(sessions if sessions is not None else self.sessions.all())
        days = [
            timezone.localdate(s.completed_at) if s.completed_at else s.planned_date
            for s in sessions
        ]
        last = max(days, default=self.start_date)
        return last + dt.timedelta(days=DAYS_UNTIL_NEXT_COURSE)


class CourseSessionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=PENDING)

    def held(self):
        return self.filter(status__in=HELD)


class CourseSession(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("course session status", "planned")
        DONE = "done", pgettext_lazy("course session status", "done")
        STOPPED = "stopped", pgettext_lazy("course session status", "stopped for pain")
        POSTPONED = "postponed", pgettext_lazy("course session status", "postponed")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    index = models.PositiveSmallIntegerField()
    planned_date = models.DateField()
    target_minutes = models.PositiveSmallIntegerField()
    max_intensity = models.PositiveSmallIntegerField(choices=Intensity.choices)
    plan = models.JSONField(default=list, help_text="Steps after the rules, frozen when planned.")
    removed = models.JSONField(default=list, help_text="What the rules took out, and why.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    held_back_reason = models.CharField(max_length=300, blank=True)
    minutes_done = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    systolic_before = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Upper blood-pressure reading before the session, mmHg."
    )
    systolic_after = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Upper blood-pressure reading after the session, mmHg."
    )
    note = models.CharField(max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = CourseSessionQuerySet.as_manager()

    class Meta:
        ordering = ["course", "index"]
        constraints = [
            models.UniqueConstraint(fields=["course", "index"], name="course_session_index_once"),
            models.CheckConstraint(
                condition=Q(index__gte=1) & Q(index__lte=MAX_SESSIONS), name="course_session_index"
            ),
        ]

    def __str__(self) -> str:
        return _("%(course)s — session %(index)d") % {"course": self.course, "index": self.index}

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def is_held(self) -> bool:
        return self.status in HELD

    @property
    def planned_minutes(self) -> int:
        seconds = sum(int(s.get("duration_s", 0)) for s in self.plan if s.get("kind") == "step")
        return round(seconds / 60)

    def steps(self) -> list[dict]:
        return [s for s in self.plan if s.get("kind") == "step"]

    def record_result(self, run, now: dt.datetime) -> bool:
        """Count a finished (or stopped) run for this session, exactly once.

        Two finish requests may arrive together (a double click, two tabs): the row lock makes
        the second wait and then see the session already held. Returns True when this call
        counted the run; the lock lasts until the caller's transaction ends, so what the course
        does next (`routines.courses.holdback.record_run`) happens under it too.
        """
        from .session import SessionRun

        with transaction.atomic():
            session = (
                CourseSession.objects.select_for_update(of=("self",))
                .select_related("course")
                .get(pk=self.pk)
            )
            if session.is_held:
                self._copy_from(session)
                return False
            pain_stop = (
                run.state == SessionRun.State.STOPPED
                and run.stop_reason == SessionRun.StopReason.PAIN
            )
            session.status = self.Status.STOPPED if pain_stop else self.Status.DONE
            session.minutes_done = round(run.worked_seconds() / 60)
            session.pain_before = run.pain_before
            session.pain_after = run.pain_after
            session.systolic_before = run.systolic_before
            session.systolic_after = run.systolic_after
            session.note = run.note[:500]
            session.completed_at = now
            session.save()
        self._copy_from(session)
        self.course = session.course
        return True

    def record_checkin(
        self,
        pain_before: int | None,
        pain_after: int | None,
        note: str = "",
        systolic_after: int | None = None,
    ) -> None:
        """Pain, the reading after the massage and a note, given after the run ended."""
        with transaction.atomic():
            session = CourseSession.objects.select_for_update(of=("self",)).get(pk=self.pk)
            session.pain_before = pain_before
            session.pain_after = pain_after
            session.systolic_after = systolic_after
            if note:
                session.note = note[:500]
            session.save(update_fields=["pain_before", "pain_after", "note", "systolic_after"])
        self._copy_from(session)

    def _copy_from(self, other: "CourseSession") -> None:
        for name in (
            "status",
            "minutes_done",
            "pain_before",
            "pain_after",
            "systolic_before",
            "systolic_after",
            "note",
        ):
            setattr(self, name, getattr(other, name))
        self.completed_at = other.completed_at

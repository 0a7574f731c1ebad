"""A running (or finished) session: the server owns which step is on and when it ends."""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ..durations import clock
from .vocab import Intensity

# An automatic advance may arrive this much before the step's end (rounding, the network) and
# still count; any earlier and it is stale, so a fast clock cannot cut a step short.
ADVANCE_GRACE_S = 0.5


class SessionRunQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    @transaction.atomic
    def start(
        self,
        owner,
        title: str,
        plan: list[dict],
        now: dt.datetime,
        routine=None,
        course_session=None,
        day_check: dict | None = None,
        pain_before: int | None = None,
    ) -> "SessionRun":
        """Create a running session on its first step, with its START event."""
        if not plan:
            raise ValueError("A session needs at least one step.")
        run = self.create(
            owner=owner,
            title=title[:120],
            plan=plan,
            routine=routine,
            course_session=course_session,
            day_check=day_check or {},
            pain_before=pain_before,
            systolic_before=(day_check or {}).get("systolic"),
            current_index=0,
            step_started_at=now,
            started_at=now,
            state=SessionRun.State.RUNNING,
        )
        run._log(RunEvent.Kind.START, now)
        return run


class SessionRun(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", pgettext_lazy("session state", "running")
        PAUSED = "paused", pgettext_lazy("session state", "paused")
        FINISHED = "finished", pgettext_lazy("session state", "finished")
        STOPPED = "stopped", pgettext_lazy("session state", "stopped")

    class StopReason(models.TextChoices):
        NONE = "", "—"
        PAIN = "pain", pgettext_lazy("stop reason", "stopped for pain")
        USER = "user", pgettext_lazy("stop reason", "stopped by the person")

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
    systolic_before = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Upper blood-pressure reading before the session, mmHg."
    )
    systolic_after = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Upper blood-pressure reading after the session, mmHg."
    )
    note = models.CharField(max_length=500, blank=True)

    objects = SessionRunQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=Q(systolic_before__isnull=True)
                | (Q(systolic_before__gte=60) & Q(systolic_before__lte=260)),
                name="run_systolic_before_range",
            ),
            models.CheckConstraint(
                condition=Q(systolic_after__isnull=True)
                | (Q(systolic_after__gte=60) & Q(systolic_after__lte=260)),
                name="run_systolic_after_range",
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

    # --- Where the session stands ----------------------------------------------------------

    @property
    def step_count(self) -> int:
        return len(self.plan)

    @property
    def step_number(self) -> int:
        return self.current_index + 1

    @property
    def next_step(self) -> dict | None:
        if 0 <= self.current_index + 1 < len(self.plan):
            return self.plan[self.current_index + 1]
        return None

    @property
    def is_paused(self) -> bool:
        return self.state == self.State.PAUSED

    # --- Moving through the plan: each action locks the row, checks, logs one event --------
    # Actions that name a step (`from_index`) only act when the session is still on that step,
    # so a second tab or a double click cannot move it twice; they return False when stale.

    @transaction.atomic
    def advance(self, from_index: int, now: dt.datetime, skipped: bool = False) -> bool:
        """Finish (or skip) step `from_index` and go on to the next; the last one ends the run."""
        self._lock()
        if not self.is_live or self.current_index != from_index:
            return False
        time_is_up = self.remaining(now) <= ADVANCE_GRACE_S
        if not skipped and not time_is_up:
            return False
        kind = RunEvent.Kind.COMPLETE if time_is_up else RunEvent.Kind.SKIP
        self._log(kind, now)
        if from_index >= len(self.plan) - 1:
            self._end(self.State.FINISHED, "", now)
            return True
        # A step that ran out starts the next one at its scheduled end, so the session stays
        # on time even when the request comes late (a tab that slept catches up step by step).
        ends_at = self.step_ends_at()
        started = min(ends_at, now) if time_is_up and ends_at else now
        self._go_to(from_index + 1, started, now)
        return True

    @transaction.atomic
    def back(self, from_index: int, now: dt.datetime) -> bool:
        self._lock()
        if not self.is_live or self.current_index != from_index or from_index == 0:
            return False
        self._log(RunEvent.Kind.BACK, now)
        self._go_to(from_index - 1, now, now)
        return True

    @transaction.atomic
    def repeat(self, from_index: int, now: dt.datetime) -> bool:
        self._lock()
        if not self.is_live or self.current_index != from_index:
            return False
        self._log(RunEvent.Kind.REPEAT, now)
        self._go_to(from_index, now, now)
        return True

    @transaction.atomic
    def pause(self, now: dt.datetime) -> bool:
        self._lock()
        if self.state != self.State.RUNNING:
            return False
        self.state = self.State.PAUSED
        self.paused_at = now
        self.save(update_fields=["state", "paused_at"])
        self._log(RunEvent.Kind.PAUSE, now)
        return True

    @transaction.atomic
    def resume(self, now: dt.datetime) -> bool:
        self._lock()
        if self.state != self.State.PAUSED:
            return False
        self._close_pause(now)
        self.state = self.State.RUNNING
        self.save(update_fields=["state", "paused_at", "paused_seconds"])
        self._log(RunEvent.Kind.RESUME, now)
        return True

    @transaction.atomic
    def lower_intensity(self, now: dt.datetime) -> bool:
        """It hurts: ease off on the current step and carry on."""
        self._lock()
        step = self.current_step
        if not self.is_live or step is None:
            return False
        before = Intensity(int(step.get("intensity", Intensity.GENTLE)))
        after = Intensity(max(int(Intensity.GENTLE), int(before) - 1))
        # The plan is JSON, frozen in the language of the session: the label as text.
        step.update(intensity=int(after), intensity_label=str(after.label), lowered=True)
        self.save(update_fields=["plan"])
        detail = (
            # Translators: an intensity lowered for pain, e.g. "moderate → gentle".
            _("%(before)s → %(after)s") % {"before": before.label, "after": after.label}
            if after != before
            else _("already gentle: go lighter still")
        )
        self._log(RunEvent.Kind.LOWER, now, detail)
        return True

    @transaction.atomic
    def note_mild_pain(self, now: dt.datetime) -> bool:
        """It hurts a little under the jar: log it and carry on (only where the step allows it).

        The step's own timer keeps running; nothing else changes.
        """
        self._lock()
        step = self.current_step
        if not self.is_live or step is None or not step.get("mild_pain"):
            return False
        self._log(RunEvent.Kind.MILD_PAIN, now)
        return True

    @transaction.atomic
    def stop(self, reason: str, now: dt.datetime) -> bool:
        self._lock()
        if not self.is_live:
            return False
        reason = self.StopReason(reason)
        self._log(RunEvent.Kind.STOP, now, str(reason.label))
        self._end(self.State.STOPPED, reason, now)
        return True

    def record_checkin(
        self, *, pain_after: int | None, note: str, systolic_after: int | None = None
    ) -> None:
        """Pain, the blood-pressure reading after the massage and a note, given after the run."""
        self.pain_after = pain_after
        self.note = note
        self.systolic_after = systolic_after
        self.save(update_fields=["pain_after", "note", "systolic_after"])

    @transaction.atomic
    def finish(self, now: dt.datetime) -> bool:
        """End the run as done, whatever step it is on."""
        self._lock()
        if not self.is_live:
            return False
        self._end(self.State.FINISHED, "", now)
        return True

    def _lock(self) -> None:
        self.refresh_from_db(from_queryset=SessionRun.objects.select_for_update())

    def _log(self, kind: str, now: dt.datetime, detail: str = "") -> None:
        RunEvent.objects.create(
            run=self, kind=kind, step_index=self.current_index, at=now, detail=detail[:200]
        )

    def _close_pause(self, now: dt.datetime) -> None:
        if self.paused_at is not None:
            self.paused_seconds += max(0.0, (now - self.paused_at).total_seconds())
            self.paused_at = None

    def _go_to(self, index: int, started: dt.datetime, now: dt.datetime) -> None:
        self.current_index = index
        self.step_started_at = started
        self.paused_seconds = 0
        # A paused session stays paused on its new step, with the clock not yet running.
        self.paused_at = now if self.state == self.State.PAUSED else None
        if self.paused_at is not None:
            self.step_started_at = now
        self.save(update_fields=["current_index", "step_started_at", "paused_at", "paused_seconds"])

    def _end(self, state: str, reason: str, now: dt.datetime) -> None:
        self._close_pause(now)
        self.state = state
        self.stop_reason = reason
        self.ended_at = now
        self.save(update_fields=["state", "stop_reason", "ended_at", "paused_at", "paused_seconds"])
        if state == self.State.FINISHED:
            self._log(RunEvent.Kind.FINISH, now)

    def segments(self) -> list[dict]:
        """The progress bar: one segment per step, marked done, current or to come."""
        segments = []
        for index, step in enumerate(self.plan):
            if index < self.current_index:
                status = "done"
            elif index == self.current_index and self.is_live:
                status = "current"
            else:
                status = "done" if not self.is_live and index <= self.current_index else "todo"
            segments.append(
                {"number": index + 1, "title": step.get("technique", ""), "status": status}
            )
        return segments

    # --- After the session ------------------------------------------------------------------

    def worked_seconds(self) -> int:
        """Time from start to end minus the pauses, from the event log."""
        end = self.ended_at or self.started_at
        paused = 0.0
        pause_start = None
        for event in self.events.all():
            if event.kind == RunEvent.Kind.PAUSE:
                pause_start = event.at
            elif event.kind in PAUSE_ENDS and pause_start:
                paused += (event.at - pause_start).total_seconds()
                pause_start = None
        return max(0, int((end - self.started_at).total_seconds() - paused))

    def techniques_done(self) -> set[str]:
        """Slugs of the techniques actually worked on: steps completed, and the step under way
        when the run was stopped or ended early (the honey or the jar was on the skin).

        A skipped step did not happen, so nothing that follows from it, its after-care, applies.
        """
        done, previous = set(), None
        for event in self.events.all():
            skipped_to_end = (
                previous is not None
                and previous.kind == RunEvent.Kind.SKIP
                and previous.step_index == event.step_index
            )
            if event.kind == RunEvent.Kind.COMPLETE or (
                event.kind in RUN_ENDS and not skipped_to_end
            ):
                done.add(event.step_index)
            previous = event
        slugs = (self.plan[i].get("technique_slug") for i in done if i < len(self.plan))
        return {slug for slug in slugs if slug}

    def timeline(self) -> list[dict]:
        """The event log as lines: minutes:seconds since the start, what happened, which step."""
        lines = []
        for event in self.events.all():
            offset = max(0, int((event.at - self.started_at).total_seconds()))
            step = self.plan[event.step_index] if event.step_index < len(self.plan) else {}
            lines.append(
                {
                    "offset": clock(offset),
                    "kind": event.kind,
                    "label": event.get_kind_display(),
                    "step_number": event.step_index + 1,
                    "step_title": step.get("technique", ""),
                    "detail": event.detail,
                }
            )
        return lines


class RunEvent(models.Model):
    class Kind(models.TextChoices):
        START = "start", pgettext_lazy("session event", "started")
        COMPLETE = "complete", pgettext_lazy("session event", "step completed")
        SKIP = "skip", pgettext_lazy("session event", "step skipped")
        BACK = "back", pgettext_lazy("session event", "went back")
        REPEAT = "repeat", pgettext_lazy("session event", "repeated the step")
        PAUSE = "pause", pgettext_lazy("session event", "paused")
        RESUME = "resume", pgettext_lazy("session event", "resumed")
        LOWER = "lower", pgettext_lazy("session event", "intensity lowered for pain")
        MILD_PAIN = "mild_pain", pgettext_lazy("session event", "mild pain under the jar, went on")
        STOP = "stop", pgettext_lazy("session event", "stopped")
        FINISH = "finish", pgettext_lazy("session event", "finished")

    run = models.ForeignKey(SessionRun, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    step_index = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} @ step {self.step_index}"


PAUSE_ENDS = {RunEvent.Kind.RESUME, RunEvent.Kind.STOP, RunEvent.Kind.FINISH}
RUN_ENDS = {RunEvent.Kind.STOP, RunEvent.Kind.FINISH}

"""Routines: ordered steps of technique x zone x duration x intensity."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .catalog import BodyZone, MassageType, Source, Technique
from .vocab import Direction, Intensity, Side

MIN_STEP_SECONDS = 10
MAX_STEP_SECONDS = 1800
MAX_STEPS = 40
# The gentle stroking step the engine's "add stroking" fixes put at either end.
FIX_STROKING_TECHNIQUE = "light-stroking"
FIX_STROKING_ZONE = "whole-back"
FIX_STROKING_SECONDS = 120
# Warm-up put before a jar or honey step: stroking, then rubbing, on that step's zone.
WARM_UP_TECHNIQUES = {"stroking": "light-stroking", "rubbing": "palm-rubbing"}
WARM_UP_SECONDS = {"stroking": 60, "rubbing": 120}


def _steps_limit() -> str:
    return ngettext(
        "A routine holds at most %(count)d step.",
        "A routine holds at most %(count)d steps.",
        MAX_STEPS,
    ) % {"count": MAX_STEPS}


class RoutineQuerySet(models.QuerySet):
    def ready_made(self):
        return self.filter(owner__isnull=True)

    def owned_by(self, user):
        return self.filter(owner=user)

    def with_totals(self):
        return self.annotate(
            total_seconds=Sum("steps__duration_s"), step_count=models.Count("steps")
        )


class Routine(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routines",
        help_text="Empty for the ready-made routines of the library.",
    )
    slug = models.SlugField(blank=True, help_text="Only ready-made routines have one.")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    massage_type = models.ForeignKey(
        MassageType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(slug=""), name="ready_made_has_slug"
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(owner__isnull=True), name="ready_made_slug_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.owner_id is None:
            return reverse("routines:ready-made-detail", args=[self.slug])
        return reverse("routines:builder", args=[self.pk])

    @property
    def is_ready_made(self) -> bool:
        return self.owner_id is None

    def ordered_steps(self):
        return self.steps.select_related("technique__category", "zone").order_by("position")

    @transaction.atomic
    def copy_for(self, user, name: str | None = None) -> "Routine":
        copy = Routine.objects.create(**self.copy_fields(user, name))
        copy.sources.set(self.sources.all())
        RoutineStep.objects.bulk_create(
            [step.copy_to(copy) for step in self.steps.order_by("position")]
        )
        return copy

    def copy_fields(self, user, name: str | None = None) -> dict:
        """A person's copy of this routine, its texts in every language (a given name aside)."""
        fields = {"owner": user, "massage_type_id": self.massage_type_id, "based_on": self}
        for language, _label in settings.LANGUAGES:
            fields[f"description_{language}"] = getattr(self, f"description_{language}")
            own = getattr(self, f"name_{language}")
            fields[f"name_{language}"] = (name or own or "")[:120] or None
        return fields

    def next_position(self) -> int:
        last = self.steps.aggregate(m=models.Max("position"))["m"]
        return 1 if last is None else last + 1

    @transaction.atomic
    def renumber(self, ordered_ids: list[int]) -> None:
        """Give the steps the positions 1..n in the order given (all ids of this routine)."""
        steps = {s.pk: s for s in self.steps.select_for_update()}
        if sorted(ordered_ids) != sorted(steps):
            raise ValueError("The new order must name every step of the routine exactly once.")
        # Two passes keep the (routine, position) unique constraint true at every statement.
        for offset_step in steps.values():
            offset_step.position += 10_000
        RoutineStep.objects.bulk_update(steps.values(), ["position"])
        for index, pk in enumerate(ordered_ids, start=1):
            steps[pk].position = index
        RoutineStep.objects.bulk_update(steps.values(), ["position"])

    def move_step(self, step: "RoutineStep", new_index: int) -> None:
        """Move a step to 1-based `new_index` in the current order."""
        ids = list(self.steps.order_by("position").values_list("pk", flat=True))
        if not 1 <= new_index <= len(ids):
            raise ValueError(_("Position must be between 1 and %(last)d.") % {"last": len(ids)})
        ids.remove(step.pk)
        ids.insert(new_index - 1, step.pk)
        self.renumber(ids)

    @transaction.atomic
    def add_warm_up_before(self, step: "RoutineStep", categories: list[str]) -> list["RoutineStep"]:
        """Put gentle warming steps (stroking, rubbing: in that order) right before `step`.

        Raises ValueError when they would take the routine past its step limit.
        """
        if self.steps.count() + len(categories) > MAX_STEPS:
            raise ValueError(_steps_limit())
        techniques = Technique.objects.in_bulk(
            [WARM_UP_TECHNIQUES[c] for c in categories], field_name="slug"
        )
        ids = list(self.steps.order_by("position").values_list("pk", flat=True))
        at = ids.index(step.pk)
        added = []
        for category in categories:
            added.append(
                self.steps.create(
                    position=self.next_position(),
                    technique=techniques[WARM_UP_TECHNIQUES[category]],
                    zone=step.zone,
                    duration_s=WARM_UP_SECONDS[category],
                    intensity=Intensity.GENTLE,
                    direction=Direction.UP,
                )
            )
        ids[at:at] = [s.pk for s in added]
        self.renumber(ids)
        for new in added:
            new.refresh_from_db()
        return added

    @transaction.atomic
    def add_stroking_step(self, *, first: bool) -> "RoutineStep":
        """Add the gentle stroking step that opens (or closes) every session.

        Raises ValueError when the routine is already at its step limit.
        """
        if self.steps.count() >= MAX_STEPS:
            raise ValueError(_steps_limit())
        added = self.steps.create(
            position=self.next_position(),
            technique=Technique.objects.get(slug=FIX_STROKING_TECHNIQUE),
            zone=BodyZone.objects.get(slug=FIX_STROKING_ZONE),
            duration_s=FIX_STROKING_SECONDS,
            intensity=Intensity.GENTLE,
            direction=Direction.UP,
        )
        if first:
            self.move_step(added, 1)
            added.refresh_from_db()
        return added


class RoutineStep(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    technique = models.ForeignKey(Technique, on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(BodyZone, on_delete=models.PROTECT, related_name="+")
    duration_s = models.PositiveIntegerField("duration (seconds)")
    reps = models.PositiveSmallIntegerField("repetitions", null=True, blank=True)
    intensity = models.PositiveSmallIntegerField(choices=Intensity.choices)
    direction = models.CharField(max_length=20, choices=Direction.choices)
    side = models.CharField(max_length=5, choices=Side.choices, default=Side.BOTH)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["routine", "position"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "position"], name="step_position_unique"),
            models.CheckConstraint(
                condition=Q(duration_s__gte=MIN_STEP_SECONDS) & Q(duration_s__lte=MAX_STEP_SECONDS),
                name="step_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=True) | (Q(reps__gte=1) & Q(reps__lte=100)),
                name="step_reps_range",
            ),
            models.CheckConstraint(
                condition=Q(intensity__gte=1) & Q(intensity__lte=3), name="step_intensity_range"
            ),
        ]

    def __str__(self) -> str:
        return _("%(position)d. %(technique)s on %(zone)s") % {
            "position": self.position,
            "technique": self.technique,
            "zone": self.zone,
        }

    def copy_to(self, routine: Routine) -> "RoutineStep":
        """This step, unsaved, for `routine`: the same work and its note in every language."""
        notes = {
            f"note_{code}": getattr(self, f"note_{code}") for code, _label in settings.LANGUAGES
        }
        return RoutineStep(
            routine=routine,
            position=self.position,
            technique_id=self.technique_id,
            zone_id=self.zone_id,
            duration_s=self.duration_s,
            reps=self.reps,
            intensity=self.intensity,
            direction=self.direction,
            side=self.side,
            **notes,
        )

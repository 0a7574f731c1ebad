"""The catalogue: techniques, zones, contraindications and the rule data the safety engine reads."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from .vocab import Direction, HandPart, Intensity, Severity


class Source(models.Model):
    """One of the source articles; every catalogue row cites the files it came from."""

    file_name = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["file_name"]

    def __str__(self) -> str:
        return self.file_name


class Sourced(models.Model):
    sources = models.ManyToManyField(Source, related_name="+")

    class Meta:
        abstract = True

    def source_names(self) -> list[str]:
        return [s.file_name for s in self.sources.all()]


class TechniqueCategoryQuerySet(models.QuerySet):
    def annotate_count(self):
        return self.annotate(technique_count=models.Count("techniques"))


class TechniqueCategory(Sourced):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    sequence_rank = models.PositiveSmallIntegerField(
        help_text="Place in the classic order: stroking 1, rubbing 2, kneading 3, impact work 4."
    )
    is_warming = models.BooleanField(
        default=False,
        help_text="Warming work (stroking, rubbing) that may come before intense work.",
    )
    is_impact = models.BooleanField(default=False, help_text="Vibration and percussion.")

    objects = TechniqueCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["sequence_rank", "name"]
        verbose_name_plural = "technique categories"

    def __str__(self) -> str:
        return self.name


class MassageType(Sourced):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField()
    requires_professional = models.BooleanField(default=False)
    default_minutes = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BodyZoneQuerySet(models.QuerySet):
    def targetable(self):
        return self.filter(is_targetable=True)


class BodyZone(Sourced):
    class Region(models.TextChoices):
        NECK = "neck", gettext_lazy("neck and head")
        UPPER_BACK = "upper_back", gettext_lazy("upper back")
        MID_BACK = "mid_back", gettext_lazy("middle back")
        LOWER_BACK = "lower_back", gettext_lazy("lower back")
        PELVIS = "pelvis", gettext_lazy("pelvis and buttocks")
        SIDES = "sides", gettext_lazy("sides")
        WHOLE = "whole", gettext_lazy("whole back")
        LYMPH = "lymph", gettext_lazy("lymph-node areas")
        FRONT = "front", gettext_lazy("front of the body and limbs")

    class Sensitivity(models.TextChoices):
        NONE = "none", gettext_lazy("no special care")
        KIDNEY = "kidney", gettext_lazy("kidney area")
        SPINE = "spine", gettext_lazy("spine")
        PARAVERTEBRAL = "paravertebral", gettext_lazy("beside the spine")
        HEART = "heart", gettext_lazy("heart projection")
        NECK = "neck", gettext_lazy("neck")
        INTERSCAPULAR = "interscapular", gettext_lazy("between the shoulder blades")
        LYMPH = "lymph", gettext_lazy("lymph nodes")

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    region = models.CharField(max_length=12, choices=Region.choices)
    sensitivity = models.CharField(
        max_length=16, choices=Sensitivity.choices, default=Sensitivity.NONE
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    height_rank = models.PositiveSmallIntegerField(
        help_text="1 = tailbone ... 12 = back of the head."
    )
    is_targetable = models.BooleanField(
        default=True, help_text="False where no step may ever be aimed (the spine, lymph nodes)."
    )
    instead = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where to work instead when this zone is not a target.",
    )
    description = models.TextField()
    map_shape = models.CharField(
        max_length=40, blank=True, help_text="Id of the shape on the back map; blank if not drawn."
    )

    objects = BodyZoneQuerySet.as_manager()

    class Meta:
        ordering = ["-height_rank", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("routines:zone-detail", args=[self.slug])

    @property
    def is_restricted(self) -> bool:
        return self.sensitivity in {self.Sensitivity.KIDNEY, self.Sensitivity.SPINE} or (
            not self.is_targetable
        )


class TechniqueQuerySet(models.QuerySet):
    def in_category(self, category_slug: str):
        return self.filter(category__slug=category_slug)

    def for_zone(self, zone_slug: str):
        return self.filter(typical_zones__slug=zone_slug)

    def of_intensity(self, intensity: int):
        return self.filter(intensity=intensity)

    def of_massage_type(self, type_slug: str):
        return self.filter(massage_types__slug=type_slug)

    def matching(self, text: str):
        """Name, alias or how-to text; aliases hold the garbled translations of the sources."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(alias_text__contains=text.casefold())
            | Q(name__icontains=text)
            | Q(summary__icontains=text)
        )

    def for_list(self):
        return self.select_related("category").order_by("category__sequence_rank", "name")


class Technique(Sourced):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    category = models.ForeignKey(
        TechniqueCategory, on_delete=models.PROTECT, related_name="techniques"
    )
    aliases = models.JSONField(default=list, blank=True)
    alias_notes = models.JSONField(
        default=dict,
        blank=True,
        help_text="Alias -> what it means here, for names the sources use for another movement.",
    )
    alias_text = models.TextField(
        blank=True, editable=False, help_text="Aliases joined for search; kept by save()."
    )
    summary = models.CharField(max_length=300)
    steps = models.JSONField(default=list, help_text="How it is done, one instruction a line.")
    hand_part = models.CharField(max_length=20, choices=HandPart.choices)
    direction = models.CharField(max_length=20, choices=Direction.choices)
    intensity = models.PositiveSmallIntegerField(choices=Intensity.choices)
    tempo_per_min = models.PositiveSmallIntegerField(null=True, blank=True)
    typical_seconds_min = models.PositiveIntegerField(
        null=True, blank=True, help_text="Typical length of the technique in a session (low end)."
    )
    typical_seconds_max = models.PositiveIntegerField(
        null=True, blank=True, help_text="High end of the typical length, for a range."
    )
    typical_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    max_seconds = models.PositiveIntegerField(null=True, blank=True)
    max_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    max_intensity = models.PositiveSmallIntegerField(
        choices=Intensity.choices,
        null=True,
        blank=True,
        help_text="The strongest intensity the source allows for this technique anywhere.",
    )
    equipment = models.CharField(max_length=80, blank=True)
    cautions = models.TextField(blank=True)
    is_self_massage = models.BooleanField(default=False)
    requires_professional = models.BooleanField(default=False)
    typical_zones = models.ManyToManyField(BodyZone, related_name="techniques", blank=True)
    massage_types = models.ManyToManyField(MassageType, related_name="techniques", blank=True)

    objects = TechniqueQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intensity__gte=1) & Q(intensity__lte=3),
                name="technique_intensity_range",
            ),
            models.CheckConstraint(
                condition=Q(tempo_per_min__isnull=True) | Q(tempo_per_min__lte=200),
                name="technique_tempo_sane",
            ),
            models.CheckConstraint(
                condition=Q(typical_seconds_max__isnull=True)
                | Q(typical_seconds_max__gte=F("typical_seconds_min")),
                name="technique_typical_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.alias_text = self.search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("routines:technique-detail", args=[self.slug])

    def search_text(self) -> str:
        """Names and aliases in every language, in lower case, for `matching`.

        Lower case here and in the query, because SQLite's LIKE folds the case of ASCII
        letters only: "Растирание" would not match "растирание".
        """
        texts = []
        for language, _ in settings.LANGUAGES:
            texts.append(getattr(self, f"name_{language}", None) or "")
            texts.extend(getattr(self, f"aliases_{language}", None) or [])
        return " | ".join(text.casefold() for text in texts if text)

    def explained_aliases(self, text: str = "") -> list[tuple[str, str]]:
        """(alias, what it means here) for each explained alias, in the order of the aliases.

        With `text`, only the aliases a search for it would match, so a search result explains
        the very word the person typed.
        """
        text = text.strip().lower()
        notes = self.alias_notes or {}
        return [
            (alias, notes[alias])
            for alias in self.aliases or []
            if alias in notes and text in alias.lower()
        ]

    @property
    def typical_seconds(self) -> tuple[int, int] | None:
        """The typical length as (low, high); equal ends when the source gives one figure."""
        if self.typical_seconds_min is None:
            return None
        return self.typical_seconds_min, self.typical_seconds_max or self.typical_seconds_min

    @property
    def default_seconds(self) -> int:
        """What a new step of this technique lasts: the middle of the typical length.

        Without a typical length, a minute, kept within the technique's own limit.
        """
        if self.typical_seconds:
            low, high = self.typical_seconds
            seconds = 5 * round((low + high) / 10)
        else:
            seconds = 60
        if self.max_seconds:
            seconds = min(seconds, self.max_seconds)
        return seconds


class Contraindication(Sourced):
    class Kind(models.TextChoices):
        ABSOLUTE = "absolute", gettext_lazy("absolute: no massage")
        TEMPORARY = "temporary", gettext_lazy("temporary: postpone")
        CONDITIONAL = "conditional", gettext_lazy("condition-specific: changes the routine")

    slug = models.SlugField(unique=True)
    code = models.CharField(max_length=8, blank=True, help_text="Id in the domain brief, e.g. C01.")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.TextField()
    effect = models.TextField(help_text="What it means for a routine, in plain words.")
    see_doctor = models.BooleanField(
        default=False, help_text="See a doctor before any massage while this applies."
    )
    conflict_note = models.TextField(blank=True)
    asks_systolic = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ZoneRule(Sourced):
    """Zone x (category | technique | everything) x intensity -> forbidden or caution."""

    code = models.SlugField(max_length=60, unique=True)
    zone = models.ForeignKey(BodyZone, on_delete=models.CASCADE, related_name="rules")
    category = models.ForeignKey(
        TechniqueCategory, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    technique = models.ForeignKey(
        Technique, null=True, blank=True, on_delete=models.CASCADE, related_name="zone_rules"
    )
    applies_to_all = models.BooleanField(default=False)
    min_intensity = models.PositiveSmallIntegerField(
        choices=Intensity.choices, null=True, blank=True, help_text="Fires only at or above this."
    )
    severity = models.CharField(
        max_length=10,
        choices=[
            (Severity.FORBIDDEN, pgettext_lazy("severity", "forbidden")),
            (Severity.CAUTION, pgettext_lazy("severity", "caution")),
        ],
    )
    message = models.CharField(max_length=300)

    class Meta:
        ordering = ["zone__slug", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applies_to_all=True)
                | Q(category__isnull=False)
                | Q(technique__isnull=False),
                name="zonerule_has_target",
            ),
            models.CheckConstraint(
                condition=Q(severity__in=["forbidden", "caution"]), name="zonerule_severity"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ConditionRule(Sourced):
    """What a declared condition does to a session or a routine."""

    class Effect(models.TextChoices):
        BLOCK = "block", gettext_lazy("blocks every session")
        POSTPONE = "postpone", gettext_lazy("postpones sessions while it lasts")
        FORBID_CATEGORY = "forbid_category", gettext_lazy("forbids a technique category")
        FORBID_TECHNIQUE = "forbid_technique", gettext_lazy("forbids a technique")
        FORBID_TYPE = "forbid_type", gettext_lazy("forbids a massage type")
        FORCE_DIRECTION = "force_direction", gettext_lazy("forces a direction")
        BP_THRESHOLD = "bp_threshold", gettext_lazy("blocks above a systolic reading")
        MAX_MINUTES = "max_minutes", gettext_lazy("caps the session length")
        CAUTION = "caution", gettext_lazy("adds a caution")

    code = models.SlugField(max_length=60, unique=True)
    condition = models.ForeignKey(Contraindication, on_delete=models.CASCADE, related_name="rules")
    effect = models.CharField(max_length=20, choices=Effect.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    category = models.ForeignKey(
        TechniqueCategory, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    technique = models.ForeignKey(
        Technique, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    massage_type = models.ForeignKey(
        MassageType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    direction = models.CharField(max_length=20, choices=Direction.choices, blank=True)
    systolic_threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    max_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300)

    class Meta:
        ordering = ["condition__slug", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(effect="forbid_category") | Q(category__isnull=False),
                name="conditionrule_category_needed",
            ),
            models.CheckConstraint(
                condition=~Q(effect="forbid_technique") | Q(technique__isnull=False),
                name="conditionrule_technique_needed",
            ),
            models.CheckConstraint(
                condition=~Q(effect="forbid_type") | Q(massage_type__isnull=False),
                name="conditionrule_type_needed",
            ),
            models.CheckConstraint(
                condition=~Q(effect="force_direction") | ~Q(direction=""),
                name="conditionrule_direction_needed",
            ),
            models.CheckConstraint(
                condition=~Q(effect="bp_threshold") | Q(systolic_threshold__isnull=False),
                name="conditionrule_threshold_needed",
            ),
            models.CheckConstraint(
                condition=~Q(effect="max_minutes") | Q(max_minutes__isnull=False),
                name="conditionrule_minutes_needed",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ProgressionRule(Sourced):
    """The course ramp: which categories, how long and how hard, by session number."""

    first_session = models.PositiveSmallIntegerField()
    last_session = models.PositiveSmallIntegerField()
    allowed_categories = models.ManyToManyField(TechniqueCategory, related_name="+")
    start_minutes = models.PositiveSmallIntegerField()
    minutes_step = models.PositiveSmallIntegerField(default=0)
    max_minutes = models.PositiveSmallIntegerField()
    max_intensity = models.PositiveSmallIntegerField(choices=Intensity.choices)
    note = models.CharField(max_length=300)

    class Meta:
        ordering = ["first_session"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_session__gte=1) & Q(last_session__gte=models.F("first_session")),
                name="progression_range",
            ),
            models.CheckConstraint(
                condition=Q(start_minutes__lte=models.F("max_minutes")) & Q(max_minutes__lte=60),
                name="progression_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"sessions {self.first_session}-{self.last_session}"

    def minutes_for(self, index: int) -> int:
        grown = self.start_minutes + (index - self.first_session) * self.minutes_step
        return min(self.max_minutes, grown)


class PrepItemQuerySet(models.QuerySet):
    def checklist(self, phase: str, conditions) -> list["PrepItem"]:
        """Items of a phase: the general ones and those for the person's conditions."""
        wanted = {c.pk for c in conditions}
        return [
            item
            for item in self.filter(phase=phase).order_by("position", "pk")
            if item.condition_id is None or item.condition_id in wanted
        ]

    def aftercare(self, conditions, technique_slugs) -> list["PrepItem"]:
        """After-care for one session, in one query.

        The general items, those for the person's conditions, and those tied to a technique the
        session actually used (`technique_slugs`): no honey wrap after a session without honey.
        """
        links = self.model.techniques.through.objects.filter(prepitem=OuterRef("pk"))
        for_session = ~Exists(links) | Exists(links.filter(technique__slug__in=technique_slugs))
        for_person = Q(condition__isnull=True) | Q(condition__in=[c.pk for c in conditions])
        return list(
            self.filter(for_person, for_session, phase=PrepItem.Phase.AFTER).order_by(
                "position", "pk"
            )
        )


class PrepItem(Sourced):
    class Phase(models.TextChoices):
        BEFORE = "before", gettext_lazy("before the session")
        AFTER = "after", gettext_lazy("after the session")

    class Group(models.TextChoices):
        ROOM = "room", gettext_lazy("room")
        SURFACE = "surface", gettext_lazy("surface and position")
        PRODUCTS = "products", gettext_lazy("oil and products")
        TOWELS = "towels", gettext_lazy("towels")
        HANDS = "hands", gettext_lazy("hands")
        RECIPIENT = "recipient", gettext_lazy("the person receiving")
        AFTERCARE = "aftercare", gettext_lazy("after-care")

    slug = models.SlugField(unique=True)
    phase = models.CharField(max_length=6, choices=Phase.choices)
    group = models.CharField(max_length=10, choices=Group.choices)
    text = models.CharField(max_length=300)
    condition = models.ForeignKey(
        Contraindication, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    techniques = models.ManyToManyField(
        Technique,
        blank=True,
        related_name="+",
        help_text="After-care that fits only sessions using one of these techniques.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = PrepItemQuerySet.as_manager()

    class Meta:
        ordering = ["phase", "position"]

    def __str__(self) -> str:
        return self.text


# The one row of LibraryVersion.
LIBRARY_VERSION_PK = 1


class LibraryVersionQuerySet(models.QuerySet):
    def current(self) -> "LibraryVersion":
        """The version of the library pages are built from (one primary-key read)."""
        version, _ = self.get_or_create(pk=LIBRARY_VERSION_PK)
        return version

    def bump(self) -> "LibraryVersion":
        """A new version: every cached library page and ETag made before it stops matching."""
        version = self.current()
        version.token = uuid.uuid4().hex
        version.changed_at = timezone.now()
        version.save(update_fields=["token", "changed_at"])
        return version


def _new_token() -> str:
    return uuid.uuid4().hex


class LibraryVersion(models.Model):
    """One row that changes whenever the catalogue does (load_library, an admin edit).

    Cached library pages and their ETags are keyed by its token, so a change shows on the very
    next request on every app server, with nothing to purge.
    """

    token = models.CharField(max_length=32, default=_new_token)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = LibraryVersionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"library {self.token[:8]} of {self.changed_at:%Y-%m-%d %H:%M}"

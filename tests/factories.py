"""One factory per model, with minimal valid defaults."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from routines import models as m


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    password = factory.django.Password("a-long-test-password")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Source
        django_get_or_create = ("file_name",)

    file_name = factory.Sequence(lambda n: f"{n:03d}_test.txt")
    title = "A test source"


class SourcedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted or [SourceFactory()])


class CategoryFactory(SourcedFactory):
    class Meta:
        model = m.TechniqueCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))
    sequence_rank = 2


class MassageTypeFactory(SourcedFactory):
    class Meta:
        model = m.MassageType
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"type-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))
    description = "A massage type."


class ZoneFactory(SourcedFactory):
    class Meta:
        model = m.BodyZone
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"zone-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))
    region = m.BodyZone.Region.LOWER_BACK
    height_rank = 4
    description = "A zone."


class TechniqueFactory(SourcedFactory):
    class Meta:
        model = m.Technique
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"technique-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())
    category = factory.SubFactory(CategoryFactory)
    summary = "A technique."
    steps = factory.LazyFunction(lambda: ["Do it gently."])
    hand_part = m.HandPart.PALM
    direction = m.Direction.UP
    intensity = m.Intensity.GENTLE


class ContraindicationFactory(SourcedFactory):
    class Meta:
        model = m.Contraindication
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"condition-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())
    kind = m.Contraindication.Kind.TEMPORARY
    description = "A condition."
    effect = "Postpone."


class ZoneRuleFactory(SourcedFactory):
    class Meta:
        model = m.ZoneRule

    code = factory.Sequence(lambda n: f"zone-rule-{n}")
    zone = factory.SubFactory(ZoneFactory)
    applies_to_all = True
    severity = m.Severity.CAUTION
    message = "Careful here."


class ConditionRuleFactory(SourcedFactory):
    class Meta:
        model = m.ConditionRule

    code = factory.Sequence(lambda n: f"condition-rule-{n}")
    condition = factory.SubFactory(ContraindicationFactory)
    effect = m.ConditionRule.Effect.POSTPONE
    severity = m.Severity.POSTPONE
    message = "Wait until it has passed."


class ProgressionRuleFactory(SourcedFactory):
    class Meta:
        model = m.ProgressionRule

    first_session = 1
    last_session = 15
    start_minutes = 10
    minutes_step = 0
    max_minutes = 40
    max_intensity = m.Intensity.INTENSE
    note = "A ramp."


class PrepItemFactory(SourcedFactory):
    class Meta:
        model = m.PrepItem

    slug = factory.Sequence(lambda n: f"prep-{n}")
    phase = m.PrepItem.Phase.BEFORE
    group = m.PrepItem.Group.TOWELS
    text = "Towels to hand."


class ScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Screening

    user = factory.SubFactory(UserFactory)


class DeclaredConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DeclaredCondition

    screening = factory.SubFactory(ScreeningFactory)
    condition = factory.SubFactory(ContraindicationFactory)


class RoutineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Routine

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Routine {n}")


class RoutineStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.RoutineStep

    routine = factory.SubFactory(RoutineFactory)
    position = factory.Sequence(lambda n: n + 1)
    technique = factory.SubFactory(TechniqueFactory)
    zone = factory.SubFactory(ZoneFactory)
    duration_s = 60
    intensity = m.Intensity.GENTLE
    direction = m.Direction.UP


class SessionRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SessionRun

    owner = factory.SubFactory(UserFactory)
    title = "A session"
    plan = factory.LazyFunction(
        lambda: [
            {"kind": "step", "technique": "Light stroking", "duration_s": 60, "warnings": []},
            {"kind": "rest", "technique": "Rest", "duration_s": 180, "warnings": []},
        ]
    )
    started_at = factory.LazyFunction(timezone.now)
    step_started_at = factory.LazyAttribute(lambda o: o.started_at)


class RunEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.RunEvent

    run = factory.SubFactory(SessionRunFactory)
    kind = m.RunEvent.Kind.START
    step_index = 0
    at = factory.LazyFunction(timezone.now)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Course

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Course {n}")
    start_date = factory.LazyFunction(lambda: dt.date(2026, 11, 23))


class CourseSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CourseSession

    course = factory.SubFactory(CourseFactory)
    index = factory.Sequence(lambda n: (n % 15) + 1)
    planned_date = factory.LazyFunction(lambda: dt.date(2026, 11, 23))
    target_minutes = 10
    max_intensity = m.Intensity.GENTLE

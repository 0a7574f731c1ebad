"""Forms of the routine builder: names, steps, moves and the engine's fixes."""

from django import forms
from django.forms.models import ModelChoiceIterator

from ..models import (
    BodyZone,
    Direction,
    Intensity,
    Routine,
    RoutineStep,
    Severity,
    Side,
    Technique,
)
from ..models.routine import MAX_STEP_SECONDS, MIN_STEP_SECONDS
from ..safety import STEP_FIXES, Fix, RuleBook
from ..safety.engine import zone_findings

AS_TECHNIQUE = "As the technique describes"
NOT_AVAILABLE = "Not available"


def unavailable_label(zone: BodyZone) -> str:
    """How a zone no step may aim at reads in a picker: why, and where to work instead."""
    label = f"{zone.name} – never massaged"
    if zone.instead:
        label += f"; work “{zone.instead.name}” instead"
    return label


class ZoneChoiceIterator(ModelChoiceIterator):
    """The zones a step may aim at, then the others in a group of their own: one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        zones = list(self.queryset)
        yield from (self.choice(zone) for zone in zones if zone.is_targetable)
        unavailable = [self.choice(zone) for zone in zones if not zone.is_targetable]
        if unavailable:
            yield (NOT_AVAILABLE, unavailable)


class ZoneSelect(forms.Select):
    """Zones no step may aim at stay in the list, disabled, so the picker can say why."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        zone = getattr(value, "instance", None)
        if zone is not None and not zone.is_targetable:
            option["attrs"]["disabled"] = True
        return option


class ZoneChoiceField(forms.ModelChoiceField):
    iterator = ZoneChoiceIterator
    widget = ZoneSelect

    def label_from_instance(self, zone: BodyZone) -> str:
        return zone.name if zone.is_targetable else unavailable_label(zone)


def not_a_target(step: RoutineStep) -> forms.ValidationError:
    """The engine's own refusal of a step aimed where no step may go, with its sources."""
    findings = [f for f in zone_findings(RuleBook.load(), step) if f.severity == Severity.FORBIDDEN]
    reasons = " ".join(dict.fromkeys(f.message for f in findings)) or unavailable_label(step.zone)
    sources = ", ".join(dict.fromkeys(s for f in findings for s in f.sources))
    message = f"{reasons} Sources: {sources}." if sources else reasons
    return forms.ValidationError(message, code="not_a_target")


class RoutineNameForm(forms.ModelForm):
    class Meta:
        model = Routine
        fields = ["name"]
        labels = {"name": "Name"}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the routine a name.")
        return name


class DuplicateForm(forms.Form):
    name = forms.CharField(label="Name of the copy", max_length=120, required=False)


class StepForm(forms.ModelForm):
    """One step; blank intensity or direction take the technique's own."""

    technique = forms.ModelChoiceField(
        queryset=Technique.objects.for_list(),
        to_field_name="slug",
        empty_label="Choose a technique",
        error_messages={"invalid_choice": "That technique is not in the library."},
    )
    # Every zone, so that a crafted post of one no step may aim at gets the engine's reason.
    zone = ZoneChoiceField(
        label="Body zone",
        queryset=BodyZone.objects.select_related("instead"),
        to_field_name="slug",
        empty_label="Choose a zone",
        error_messages={
            "invalid_choice": "That body zone does not exist.",
            "required": "Choose a body zone.",
        },
    )
    duration_s = forms.IntegerField(
        label="Duration in seconds",
        min_value=MIN_STEP_SECONDS,
        max_value=MAX_STEP_SECONDS,
        initial=60,
        help_text="From 10 seconds to 30 minutes (1800 s); 90 means 1:30.",
        error_messages={
            "min_value": "A step lasts at least %(limit_value)s seconds.",
            "max_value": "A step lasts at most %(limit_value)s seconds (30 minutes).",
        },
    )
    reps = forms.IntegerField(
        label="Repetitions (optional)",
        required=False,
        min_value=1,
        max_value=100,
        error_messages={"max_value": "At most 100 repetitions."},
    )
    intensity = forms.TypedChoiceField(
        choices=[("", AS_TECHNIQUE), *Intensity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    direction = forms.ChoiceField(choices=[("", AS_TECHNIQUE), *Direction.choices], required=False)
    side = forms.ChoiceField(choices=Side.choices, initial=Side.BOTH)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput,
        error_messages={"max_length": "Keep the note under %(limit_value)d characters."},
    )

    class Meta:
        model = RoutineStep
        fields = [
            "technique",
            "zone",
            "duration_s",
            "reps",
            "intensity",
            "direction",
            "side",
            "note",
        ]

    def __init__(self, *args, prefix_id: str = "step", **kwargs):
        super().__init__(*args, **kwargs)
        # Distinct ids for the add form and the edit form shown on the same page.
        self.auto_id = f"{prefix_id}-%s"
        if self.instance.pk:
            # The choices are slugs; the instance's initial values are primary keys.
            self.initial["technique"] = self.instance.technique.slug
            self.initial["zone"] = self.instance.zone.slug

    def clean(self):
        cleaned = super().clean()
        technique = cleaned.get("technique")
        if technique:
            if not cleaned.get("intensity"):
                cleaned["intensity"] = technique.intensity
            if not cleaned.get("direction"):
                cleaned["direction"] = technique.direction
            zone = cleaned.get("zone")
            if zone and not zone.is_targetable:
                self.add_error("zone", not_a_target(self._probe(cleaned)))
        return cleaned

    def _probe(self, cleaned) -> RoutineStep:
        """The step as posted, unsaved, for the engine to judge."""
        return RoutineStep(
            position=self.instance.position or 1,
            technique=cleaned["technique"],
            zone=cleaned["zone"],
            intensity=cleaned["intensity"],
            direction=cleaned["direction"],
            duration_s=cleaned.get("duration_s") or MIN_STEP_SECONDS,
            reps=cleaned.get("reps"),
        )


class AddToRoutineForm(StepForm):
    """The technique page's form: the routine is chosen in the form, among the person's own."""

    routine = forms.ModelChoiceField(
        label="Add to",
        queryset=Routine.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of your own routines."},
    )

    class Meta(StepForm.Meta):
        fields = ["routine", *StepForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix_id="add-to", **kwargs)
        self.fields["routine"].queryset = Routine.objects.owned_by(user)


class MoveForm(forms.Form):
    to = forms.IntegerField(
        label="Move to position",
        min_value=1,
        error_messages={
            "invalid": "Give the new position as a whole number.",
            "required": "Give the new position.",
            "min_value": "Positions start at 1.",
        },
    )


FIX_CHOICES = [
    (Fix.ADD_OPENING_STROKING, "Add an opening stroking step"),
    (Fix.ADD_CLOSING_STROKING, "Add a closing stroking step"),
    (Fix.MOVE_ZONE, "Move the step to the zone beside it"),
    (Fix.DIRECTION_DOWN, "Change the direction to neck → tailbone"),
    (Fix.LOWER_INTENSITY, "Lower the step's intensity to what the zone allows"),
    (Fix.ADD_WARM_UP_BEFORE, "Add stroking and rubbing before the step"),
]


class FixForm(forms.Form):
    code = forms.ChoiceField(
        choices=FIX_CHOICES,
        error_messages={"invalid_choice": "There is no such fix."},
    )
    step = forms.ModelChoiceField(
        queryset=RoutineStep.objects.none(),
        required=False,
        error_messages={"invalid_choice": "That step is not part of this routine."},
    )

    def __init__(self, *args, routine: Routine, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = routine.steps.select_related("zone")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("code") in STEP_FIXES | {Fix.ADD_WARM_UP_BEFORE} and not cleaned.get("step"):
            self.add_error("step", "This fix needs the step it applies to.")
        return cleaned

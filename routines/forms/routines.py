"""Forms of the routine builder: names, steps, moves and the engine's fixes."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

AS_TECHNIQUE = gettext_lazy("As the technique describes")
NOT_AVAILABLE = gettext_lazy("Not available")


def unavailable_label(zone: BodyZone) -> str:
    """How a zone no step may aim at reads in a picker: why, and where to work instead."""
    if zone.instead:
        return _("%(zone)s – never massaged; work “%(instead)s” instead") % {
            "zone": zone.name,
            "instead": zone.instead.name,
        }
    return _("%(zone)s – never massaged") % {"zone": zone.name}


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
    message = (
        _("%(reasons)s Sources: %(sources)s.") % {"reasons": reasons, "sources": sources}
        if sources
        else reasons
    )
    return forms.ValidationError(message, code="not_a_target")


class RoutineNameForm(forms.ModelForm):
    class Meta:
        model = Routine
        fields = ["name"]
        labels = {"name": gettext_lazy("Name")}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the routine a name."))
        return name


class DuplicateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the copy"), max_length=120, required=False)


class StepForm(forms.ModelForm):
    """One step; blank intensity or direction take the technique's own."""

    technique = forms.ModelChoiceField(
        queryset=Technique.objects.for_list(),
        label=gettext_lazy("Technique"),
        to_field_name="slug",
        empty_label=gettext_lazy("Choose a technique"),
        error_messages={"invalid_choice": gettext_lazy("That technique is not in the library.")},
    )
    # Every zone, so that a crafted post of one no step may aim at gets the engine's reason.
    zone = ZoneChoiceField(
        label=gettext_lazy("Body zone"),
        queryset=BodyZone.objects.select_related("instead"),
        to_field_name="slug",
        empty_label=gettext_lazy("Choose a zone"),
        error_messages={
            "invalid_choice": gettext_lazy("That body zone does not exist."),
            "required": gettext_lazy("Choose a body zone."),
        },
    )
    duration_s = forms.IntegerField(
        label=gettext_lazy("Duration in seconds"),
        min_value=MIN_STEP_SECONDS,
        max_value=MAX_STEP_SECONDS,
        initial=60,
        help_text=gettext_lazy("From 10 seconds to 30 minutes (1800 s); 90 means 1:30."),
        error_messages={
            "min_value": gettext_lazy("A step lasts at least %(limit_value)s seconds."),
            "max_value": gettext_lazy("A step lasts at most %(limit_value)s seconds (30 minutes)."),
        },
    )
    reps = forms.IntegerField(
        label=gettext_lazy("Repetitions (optional)"),
        required=False,
        min_value=1,
        max_value=100,
        error_messages={"max_value": gettext_lazy("At most 100 repetitions.")},
    )
    intensity = forms.TypedChoiceField(
        label=gettext_lazy("Intensity"),
        choices=[("", AS_TECHNIQUE), *Intensity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        choices=[("", AS_TECHNIQUE), *Direction.choices],
        required=False,
    )
    side = forms.ChoiceField(label=gettext_lazy("Side"), choices=Side.choices, initial=Side.BOTH)
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput,
        error_messages={
            "max_length": gettext_lazy("Keep the note under %(limit_value)d characters.")
        },
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
        label=gettext_lazy("Add to"),
        queryset=Routine.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Choose one of your own routines.")},
    )

    class Meta(StepForm.Meta):
        fields = ["routine", *StepForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix_id="add-to", **kwargs)
        self.fields["routine"].queryset = Routine.objects.owned_by(user)


class MoveForm(forms.Form):
    to = forms.IntegerField(
        label=gettext_lazy("Move to position"),
        min_value=1,
        error_messages={
            "invalid": gettext_lazy("Give the new position as a whole number."),
            "required": gettext_lazy("Give the new position."),
            "min_value": gettext_lazy("Positions start at 1."),
        },
    )


FIX_CHOICES = [
    (Fix.ADD_OPENING_STROKING, gettext_lazy("Add an opening stroking step")),
    (Fix.ADD_CLOSING_STROKING, gettext_lazy("Add a closing stroking step")),
    (Fix.MOVE_ZONE, gettext_lazy("Move the step to the zone beside it")),
    (Fix.DIRECTION_DOWN, gettext_lazy("Change the direction to neck → tailbone")),
    (Fix.LOWER_INTENSITY, gettext_lazy("Lower the step's intensity to what the zone allows")),
    (Fix.ADD_WARM_UP_BEFORE, gettext_lazy("Add stroking and rubbing before the step")),
]


class FixForm(forms.Form):
    code = forms.ChoiceField(
        choices=FIX_CHOICES,
        error_messages={"invalid_choice": gettext_lazy("There is no such fix.")},
    )
    step = forms.ModelChoiceField(
        queryset=RoutineStep.objects.none(),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("That step is not part of this routine.")},
    )

    def __init__(self, *args, routine: Routine, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = routine.steps.select_related("zone")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("code") in STEP_FIXES | {Fix.ADD_WARM_UP_BEFORE} and not cleaned.get("step"):
            self.add_error("step", _("This fix needs the step it applies to."))
        return cleaned

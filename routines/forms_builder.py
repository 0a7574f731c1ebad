"""Forms of a person's own area: the health screening and the routine builder."""

import datetime as dt

from django import forms
from django.db import transaction

from .models import (
    BodyZone,
    Contraindication,
    DeclaredCondition,
    Direction,
    Intensity,
    Routine,
    RoutineStep,
    Screening,
    Side,
    Technique,
)
from .models.routine import MAX_STEP_SECONDS, MIN_STEP_SECONDS
from .safety import Fix

AS_TECHNIQUE = "As the technique describes"


# --- Screening ---------------------------------------------------------------------------------


class ScreeningForm(forms.Form):
    """One checkbox per condition of the catalogue; a temporary one may carry an end date."""

    conditions = forms.ModelMultipleChoiceField(
        queryset=Contraindication.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "“%(value)s” is not a condition we know of."},
    )
    usual_systolic = forms.IntegerField(
        label="Your usual upper (systolic) blood-pressure reading, in mmHg",
        required=False,
        min_value=60,
        max_value=260,
        help_text="Only if you have high blood pressure: the first, higher number, e.g. 135.",
    )

    def __init__(self, *args, catalogue: list[Contraindication], today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.today = today
        self.fields["conditions"].queryset = Contraindication.objects.filter(
            pk__in=[c.pk for c in catalogue]
        )
        for condition in catalogue:
            if condition.kind == Contraindication.Kind.TEMPORARY:
                self.fields[self.until_name(condition)] = forms.DateField(
                    label=f"{condition.name}: expected to last until (optional)",
                    required=False,
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                )

    @staticmethod
    def until_name(condition: Contraindication) -> str:
        return f"until-{condition.slug}"

    @classmethod
    def initial_for(cls, screening: Screening | None) -> dict:
        if screening is None:
            return {}
        declared = list(screening.declared.all())
        initial = {
            "conditions": [d.condition.slug for d in declared],
            "usual_systolic": screening.usual_systolic,
        }
        for d in declared:
            if d.until:
                initial[cls.until_name(d.condition)] = d.until
        return initial

    def clean(self):
        cleaned = super().clean()
        for condition in cleaned.get("conditions") or []:
            until = cleaned.get(self.until_name(condition))
            if until and until < self.today:
                self.add_error(
                    self.until_name(condition),
                    "That day has already passed. If it is over, untick the condition instead.",
                )
        return cleaned

    def groups(self) -> list[tuple[str, str, list[dict]]]:
        """The checkboxes grouped by kind, each with its condition and its optional date field."""
        boxes = {str(box.data["value"]): box for box in self["conditions"]}
        groups = []
        for kind, label in Contraindication.Kind.choices:
            items = [
                {
                    "condition": c,
                    "box": boxes[c.slug],
                    "until": self[self.until_name(c)]
                    if self.until_name(c) in self.fields
                    else None,
                }
                for c in self.catalogue
                if c.kind == kind
            ]
            if items:
                groups.append((kind, label, items))
        return groups

    @transaction.atomic
    def save(self, user) -> Screening:
        """Replace the person's declared conditions in one go."""
        screening, _ = Screening.objects.select_for_update().get_or_create(user=user)
        screening.usual_systolic = self.cleaned_data["usual_systolic"]
        screening.save()
        screening.declared.all().delete()
        DeclaredCondition.objects.bulk_create(
            DeclaredCondition(
                screening=screening,
                condition=condition,
                until=self.cleaned_data.get(self.until_name(condition)),
            )
            for condition in self.cleaned_data["conditions"]
        )
        return screening


# --- Routines ----------------------------------------------------------------------------------


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
    zone = forms.ModelChoiceField(
        label="Body zone",
        queryset=BodyZone.objects.all(),
        to_field_name="slug",
        empty_label="Choose a zone",
        error_messages={"invalid_choice": "That body zone does not exist."},
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
        return cleaned


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
        if cleaned.get("code") in {Fix.MOVE_ZONE, Fix.DIRECTION_DOWN} and not cleaned.get("step"):
            self.add_error("step", "This fix needs the step it applies to.")
        return cleaned

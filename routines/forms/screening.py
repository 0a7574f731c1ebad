"""The health screening: the conditions that apply to a person, and their usual reading."""

import datetime as dt

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Contraindication, DeclaredCondition, Screening


class ScreeningForm(forms.Form):
    """One checkbox per condition of the catalogue; a temporary one may carry an end date."""

    conditions = forms.ModelMultipleChoiceField(
        queryset=Contraindication.objects.all(),
        to_field_name="slug",
        required=False,
        label=gettext_lazy("Conditions"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("“%(value)s” is not a condition we know of.")
        },
    )
    usual_systolic = forms.IntegerField(
        label=gettext_lazy("Your usual upper (systolic) blood-pressure reading, in mmHg"),
        required=False,
        min_value=60,
        max_value=260,
        help_text=gettext_lazy(
            "Only if you have high blood pressure: the first, higher number, e.g. 135."
        ),
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
                    label=_("%(condition)s: expected to last until (optional)")
                    % {"condition": condition.name},
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
                    _("That day has already passed. If it is over, untick the condition instead."),
                )
            elif until and until > self.today + dt.timedelta(days=365):
                # Courses move past the end date, and only within twelve months (as postponing).
                self.add_error(
                    self.until_name(condition),
                    _(
                        "Pick a day within the next twelve months, or leave the date empty if "
                        "you do not know when it will end."
                    ),
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
        screening, _created = Screening.objects.select_for_update().get_or_create(user=user)
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

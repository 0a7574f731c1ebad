"""Forms of the session page: the same-day check, the step actions, the check-in afterwards."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy

from ..models import Contraindication, SessionRun
from ..sessions.actions import ACTIONS

# Same-day answers and the contraindication each one stands for; the engine's own postpone
# rules (with their sources) then say what it means for today.
DAY_CHECK_CONDITIONS = {
    "fever": "fever",
    "fresh_injury": "fresh-injury",
    "pain_on_movement": "acute-pain",
}
PAIN_SCALE_HELP = gettext_lazy(
    "0 means no pain or discomfort at all, 10 the worst you can imagine."
)


def pain_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10,
        help_text=PAIN_SCALE_HELP,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class DayCheckForm(forms.Form):
    """A short check on the day: anything here that rules out massage stops the start."""

    fever = forms.BooleanField(
        label=gettext_lazy("I have a raised temperature today"), required=False
    )
    fresh_injury = forms.BooleanField(
        label=gettext_lazy("I have a fresh wound or injury, or had a fall recently"),
        required=False,
    )
    pain_on_movement = forms.BooleanField(
        label=gettext_lazy("My back hurts right now, or moving is painful"), required=False
    )
    systolic = forms.IntegerField(
        label=gettext_lazy("Blood pressure today: upper (systolic) reading in mmHg"),
        min_value=60,
        max_value=260,
        help_text=gettext_lazy(
            "Measure it just before the session: with high blood pressure, today's "
            "reading decides whether the session can start."
        ),
        error_messages={
            "required": gettext_lazy("Measure your blood pressure and enter today's reading.")
        },
        # A text input, so a rejected value is shown back as typed and the page stays valid.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{2,3}"}),
    )
    pain_before = pain_field(gettext_lazy("How much does the back hurt now? (optional, 0-10)"))
    prep = forms.MultipleChoiceField(
        label=gettext_lazy("Preparation checklist"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick what you have done; nothing here is required."),
    )

    def __init__(self, *args, asks_systolic: bool, prep_items, **kwargs):
        """`asks_systolic`: the engine says today's reading decides for this person."""
        super().__init__(*args, **kwargs)
        if not asks_systolic:
            del self.fields["systolic"]
        self.fields["prep"].choices = [(item.slug, item.text) for item in prep_items]

    def today_condition_slugs(self) -> list[str]:
        return [slug for field, slug in DAY_CHECK_CONDITIONS.items() if self.cleaned_data[field]]

    def today_conditions(self) -> list[Contraindication]:
        slugs = self.today_condition_slugs()
        return list(Contraindication.objects.filter(slug__in=slugs)) if slugs else []

    @property
    def systolic_value(self) -> int | None:
        return self.cleaned_data.get("systolic")

    def day_check(self, today: dt.date) -> dict:
        data = self.cleaned_data
        return {
            "date": today.isoformat(),
            "today_conditions": self.today_condition_slugs(),
            "systolic": data.get("systolic"),
            "prep_done": list(data["prep"]),
        }


class SessionActionForm(forms.Form):
    """One action on a running session, naming the step the person sees."""

    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    from_index = forms.IntegerField(min_value=0, max_value=1000)


class CheckInForm(forms.ModelForm):
    """After the session: pain, a note, and the blood-pressure reading when one was taken
    before (with high blood pressure it is measured before and after, 002)."""

    pain_after = pain_field(gettext_lazy("How does the back feel now? (0-10)"))
    systolic_after = forms.IntegerField(
        label=gettext_lazy("Blood pressure after the massage: upper (systolic) reading in mmHg"),
        required=False,
        min_value=60,
        max_value=260,
        help_text=gettext_lazy(
            "Measure it again now, after a few minutes lying down; it is kept next to "
            "the reading taken before the session."
        ),
        error_messages={
            "invalid": gettext_lazy("Give the reading as a whole number of mmHg, for example 135."),
            "min_value": gettext_lazy("A reading below 60 mmHg is not plausible: measure again."),
            "max_value": gettext_lazy("A reading above 260 mmHg is not plausible: measure again."),
        },
    )

    class Meta:
        model = SessionRun
        fields = ["pain_after", "systolic_after", "note"]
        labels = {"note": gettext_lazy("A note for next time (optional)")}
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}
        help_texts = {"note": gettext_lazy("Up to 500 characters.")}

    def __init__(self, *args, instance: SessionRun, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        if instance.systolic_before is None:
            del self.fields["systolic_after"]

    @property
    def systolic_value(self) -> int | None:
        return self.cleaned_data.get("systolic_after")

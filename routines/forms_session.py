"""Forms of the session page: the same-day check, the step actions, the check-in afterwards."""

from __future__ import annotations

import datetime as dt

from django import forms

from .models import Contraindication, PrepItem, SessionRun

# Same-day answers and the contraindication each one stands for; the engine's own postpone
# rules (with their sources) then say what it means for today.
DAY_CHECK_CONDITIONS = {
    "fever": "fever",
    "fresh_injury": "fresh-injury",
    "pain_on_movement": "acute-pain",
}
PAIN_SCALE_HELP = "0 means no pain or discomfort at all, 10 the worst you can imagine."


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

    fever = forms.BooleanField(label="I have a raised temperature today", required=False)
    fresh_injury = forms.BooleanField(
        label="I have a fresh wound or injury, or had a fall recently", required=False
    )
    pain_on_movement = forms.BooleanField(
        label="My back hurts right now, or moving is painful", required=False
    )
    systolic = forms.IntegerField(
        label="Blood pressure today: upper (systolic) reading in mmHg",
        required=False,
        min_value=60,
        max_value=260,
        help_text="Measure it just before the session.",
        # A text input, so a rejected value is shown back as typed and the page stays valid.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{2,3}"}),
    )
    pain_before = pain_field("How much does the back hurt now? (optional, 0-10)")
    prep = forms.MultipleChoiceField(
        label="Preparation checklist",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick what you have done; nothing here is required.",
    )

    def __init__(self, *args, asks_systolic: bool, prep_items, **kwargs):
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

    ACTIONS = {
        "advance": "the step's time is up",
        "skip": "next step",
        "back": "back",
        "repeat": "repeat the step",
        "pause": "pause",
        "resume": "resume",
        "stop": "stop",
        "lower": "it hurts: lower the intensity",
        "stop-pain": "it hurts: stop",
    }

    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    from_index = forms.IntegerField(min_value=0, max_value=1000)

    def apply(self, run: SessionRun, now: dt.datetime) -> bool:
        """Run the action; False when the session had already moved on (stale request)."""
        action, index = self.cleaned_data["action"], self.cleaned_data["from_index"]
        match action:
            case "advance":
                return run.advance(index, now)
            case "skip":
                return run.advance(index, now, skipped=True)
            case "back":
                return run.back(index, now)
            case "repeat":
                return run.repeat(index, now)
            case "pause":
                return run.pause(now)
            case "resume":
                return run.resume(now)
            case "stop":
                return run.stop(SessionRun.StopReason.USER, now)
            case "lower":
                return run.lower_intensity(now)
            case "stop-pain":
                return run.stop(SessionRun.StopReason.PAIN, now)
        raise ValueError(action)


class CheckInForm(forms.ModelForm):
    pain_after = pain_field("How does the back feel now? (0-10)")

    class Meta:
        model = SessionRun
        fields = ["pain_after", "note"]
        labels = {"note": "A note for next time (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}
        help_texts = {"note": "Up to 500 characters."}


def prep_items(phase: str, conditions) -> list[PrepItem]:
    """Checklist items of a phase: the general ones and those for the person's conditions."""
    wanted = {c.pk for c in conditions}
    return [
        item
        for item in PrepItem.objects.filter(phase=phase).order_by("position", "pk")
        if item.condition_id is None or item.condition_id in wanted
    ]

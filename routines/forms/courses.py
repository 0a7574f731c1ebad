"""Forms of the course pages: planning a course, moving sessions, stopping."""

import datetime as dt

from django import forms
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Course
from ..models.course import MAX_SESSIONS, MIN_SESSIONS


class RoutinePickForm(forms.Form):
    """The routine a new course is built from, as named in the query string."""

    routine = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class CoursePlanForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the course"), max_length=120)
    total_sessions = forms.IntegerField(
        label=gettext_lazy("Number of sessions"),
        min_value=MIN_SESSIONS,
        max_value=MAX_SESSIONS,
        initial=12,
    )
    rhythm = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=Course.Rhythm.choices,
        initial=Course.Rhythm.EVERY_OTHER_DAY,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Every other day works better than daily, the sources say."),
    )
    start_date = forms.DateField(
        label=gettext_lazy("First session on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["total_sessions"].help_text = _("A course has %(min)d to %(max)d sessions.") % {
            "min": MIN_SESSIONS,
            "max": MAX_SESSIONS,
        }
        self.fields["start_date"].widget.attrs["min"] = today.isoformat()
        self.fields["start_date"].initial = today

    def clean_start_date(self) -> dt.date:
        start = self.cleaned_data["start_date"]
        if start < self.today:
            raise forms.ValidationError(
                _("Pick today or a day ahead: a course cannot start earlier.")
            )
        if start > self.today + dt.timedelta(days=365):
            raise forms.ValidationError(_("Pick a day within the next twelve months."))
        return start


class PostponeForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Move to"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=gettext_lazy("Why (optional)"), max_length=200, required=False)

    def __init__(self, *args, earliest: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest = earliest
        self.fields["until"].widget.attrs["min"] = earliest.isoformat()

    def clean_until(self) -> dt.date:
        until = self.cleaned_data["until"]
        if until < self.earliest:
            raise forms.ValidationError(
                _("Pick %(date)s or later: sessions only move forward.")
                % {"date": dateformat.format(self.earliest, "j E Y")}
            )
        if until > self.earliest + dt.timedelta(days=365):
            raise forms.ValidationError(_("Pick a day within the next twelve months."))
        return until


class StopCourseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why are you stopping?"), max_length=300)

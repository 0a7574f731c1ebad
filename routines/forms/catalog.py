"""Forms for every input, GET filters included."""

from django import forms
from django.utils.translation import gettext_lazy

from ..models import BodyZone, Intensity, MassageType, TechniqueCategory


class TechniqueFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search by name or alias"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = forms.ModelChoiceField(
        queryset=TechniqueCategory.objects.all(),
        label=gettext_lazy("Category"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Any category"),
    )
    zone = forms.ModelChoiceField(
        queryset=BodyZone.objects.targetable(),
        label=gettext_lazy("Zone"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Any zone"),
    )
    intensity = forms.TypedChoiceField(
        label=gettext_lazy("Intensity"),
        choices=[("", gettext_lazy("Any intensity")), *Intensity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    type = forms.ModelChoiceField(
        label=gettext_lazy("Massage type"),
        queryset=MassageType.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Any type"),
    )

    @property
    def query(self) -> str:
        """The search text of a valid form: the results explain the aliases it matched."""
        return self.cleaned_data.get("q", "") if self.is_bound and self.is_valid() else ""

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.matching(data["q"])
        if data.get("category"):
            queryset = queryset.in_category(data["category"].slug)
        if data.get("zone"):
            queryset = queryset.for_zone(data["zone"].slug)
        if data.get("intensity"):
            queryset = queryset.of_intensity(data["intensity"])
        if data.get("type"):
            queryset = queryset.of_massage_type(data["type"].slug)
        return queryset.distinct()

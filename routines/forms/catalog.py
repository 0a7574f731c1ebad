"""Forms for every input, GET filters included."""

from django import forms

from ..models import BodyZone, Intensity, MassageType, TechniqueCategory


class TechniqueFilterForm(forms.Form):
    q = forms.CharField(
        label="Search by name or alias",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = forms.ModelChoiceField(
        queryset=TechniqueCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any category",
    )
    zone = forms.ModelChoiceField(
        queryset=BodyZone.objects.targetable(),
        to_field_name="slug",
        required=False,
        empty_label="Any zone",
    )
    intensity = forms.TypedChoiceField(
        choices=[("", "Any intensity"), *Intensity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    type = forms.ModelChoiceField(
        label="Massage type",
        queryset=MassageType.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any type",
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

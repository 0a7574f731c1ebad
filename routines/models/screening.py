"""A person's own health screening: the conditions that apply to them."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from .catalog import Contraindication


class ScreeningQuerySet(models.QuerySet):
    def of(self, user) -> "Screening | None":
        """The person's screening with its declared conditions; None until they fill it in."""
        return self.filter(user=user).prefetch_related("declared__condition").first()


class Screening(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screening"
    )
    usual_systolic = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Usual upper (systolic) blood-pressure reading, mmHg."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(usual_systolic__isnull=True)
                | (Q(usual_systolic__gte=60) & Q(usual_systolic__lte=260)),
                name="screening_systolic_range",
            )
        ]

    def __str__(self) -> str:
        return f"screening of {self.user}"

    def active_conditions(self, today: dt.date) -> list["DeclaredCondition"]:
        """Declared conditions still in force on `today` (a temporary one may carry an end date)."""
        return [d for d in self.declared.all() if d.is_active(today)]


class DeclaredCondition(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="declared")
    condition = models.ForeignKey(Contraindication, on_delete=models.PROTECT, related_name="+")
    until = models.DateField(
        null=True, blank=True, help_text="For a temporary condition: the day it is expected to end."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "condition"], name="declared_condition_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.condition)

    def is_active(self, today: dt.date) -> bool:
        return self.until is None or self.until >= today

"""How far a person's own data has come: one number that moves whenever any of it changes."""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone


class DataVersionQuerySet(models.QuerySet):
    def bump(self, user_id: int) -> None:
        """A new version for this person: their cached pages and ETags stop matching.

        Called after their change is committed (see routines/middleware.py), so a page built
        under the new number can only hold the new data.
        """
        now = timezone.now()
        if self.filter(user_id=user_id).update(number=F("number") + 1, changed_at=now):
            return
        try:
            with transaction.atomic():
                self.create(user_id=user_id, number=1, changed_at=now)
        except IntegrityError:  # another request created it first: move it on once more
            self.filter(user_id=user_id).update(number=F("number") + 1, changed_at=now)


class DataVersion(models.Model):
    """One row per person; their personal pages are cached under its number.

    A person with no row yet is at version 0: nothing of theirs has changed since this row
    existed, so nothing cached for them can be out of date.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="data_version",
    )
    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = DataVersionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"data of {self.user_id}, version {self.number}"


class Preferences(models.Model):
    """What a person chose for how the app speaks to them, kept across devices and logins."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preferences",
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"

"""Fixed vocabularies shared by the catalogue, routines, sessions and courses."""

from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy


class Intensity(models.IntegerChoices):
    GENTLE = 1, pgettext_lazy("intensity", "gentle")
    MODERATE = 2, pgettext_lazy("intensity", "moderate")
    INTENSE = 3, pgettext_lazy("intensity", "intense")


class Direction(models.TextChoices):
    UP = "bottom_to_top", gettext_lazy("bottom to top")
    DOWN = "top_to_bottom", gettext_lazy("top to bottom (neck to tailbone)")
    SPINE_TO_SIDES = "spine_to_sides", gettext_lazy("from the spine to the sides")
    SIDES_TO_CENTRE = "sides_to_centre", gettext_lazy("from the sides to the centre")
    UP_AND_DOWN = "up_and_down", gettext_lazy("up and down")
    CIRCULAR = "circular", gettext_lazy("circular")
    ZIGZAG = "zigzag", gettext_lazy("zigzag")
    STATIC = "static", gettext_lazy("in place")
    ANY = "any", gettext_lazy("any direction")


class HandPart(models.TextChoices):
    PALM = "palm", gettext_lazy("whole palm")
    PALM_EDGE = "palm_edge", gettext_lazy("edge of the palm")
    PALM_HEEL = "palm_heel", gettext_lazy("heel of the palm")
    FINGERTIPS = "fingertips", gettext_lazy("fingertips")
    FINGER_PADS = "finger_pads", gettext_lazy("finger pads")
    THUMBS = "thumbs", gettext_lazy("thumbs")
    KNUCKLES = "knuckles", gettext_lazy("knuckles")
    FIST = "fist", gettext_lazy("fist")
    BACK_OF_HAND = "back_of_hand", gettext_lazy("back of the hand")
    CUPPED_PALM = "cupped_palm", gettext_lazy("cupped palm")
    STACKED = "stacked", gettext_lazy("one hand on the other")
    JAR = "jar", gettext_lazy("suction jar")
    DEVICE = "device", gettext_lazy("massage device")


class Side(models.TextChoices):
    BOTH = "both", gettext_lazy("both sides")
    LEFT = "left", gettext_lazy("left side")
    RIGHT = "right", gettext_lazy("right side")


class Severity(models.TextChoices):
    """Ordered from the most to the least serious; the engine sorts by this order."""

    BLOCK = "block", pgettext_lazy("severity", "blocked")
    POSTPONE = "postpone", pgettext_lazy("severity", "postpone")
    FORBIDDEN = "forbidden", pgettext_lazy("severity", "forbidden")
    CAUTION = "caution", pgettext_lazy("severity", "caution")

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @property
    def stops_start(self) -> bool:
        return self is not Severity.CAUTION

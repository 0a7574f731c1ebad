"""Fixed vocabularies shared by the catalogue, routines, sessions and courses."""

from django.db import models


class Intensity(models.IntegerChoices):
    GENTLE = 1, "gentle"
    MODERATE = 2, "moderate"
    INTENSE = 3, "intense"


class Direction(models.TextChoices):
    UP = "bottom_to_top", "bottom to top"
    DOWN = "top_to_bottom", "top to bottom (neck to tailbone)"
    SPINE_TO_SIDES = "spine_to_sides", "from the spine to the sides"
    SIDES_TO_CENTRE = "sides_to_centre", "from the sides to the centre"
    UP_AND_DOWN = "up_and_down", "up and down"
    CIRCULAR = "circular", "circular"
    ZIGZAG = "zigzag", "zigzag"
    STATIC = "static", "in place"
    ANY = "any", "any direction"


class HandPart(models.TextChoices):
    PALM = "palm", "whole palm"
    PALM_EDGE = "palm_edge", "edge of the palm"
    PALM_HEEL = "palm_heel", "heel of the palm"
    FINGERTIPS = "fingertips", "fingertips"
    FINGER_PADS = "finger_pads", "finger pads"
    THUMBS = "thumbs", "thumbs"
    KNUCKLES = "knuckles", "knuckles"
    FIST = "fist", "fist"
    BACK_OF_HAND = "back_of_hand", "back of the hand"
    CUPPED_PALM = "cupped_palm", "cupped palm"
    STACKED = "stacked", "one hand on the other"
    JAR = "jar", "suction jar"
    DEVICE = "device", "massage device"


class Side(models.TextChoices):
    BOTH = "both", "both sides"
    LEFT = "left", "left side"
    RIGHT = "right", "right side"


class Severity(models.TextChoices):
    """Ordered from the most to the least serious; the engine sorts by this order."""

    BLOCK = "block", "blocked"
    POSTPONE = "postpone", "postpone"
    FORBIDDEN = "forbidden", "forbidden"
    CAUTION = "caution", "caution"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @property
    def stops_start(self) -> bool:
        return self is not Severity.CAUTION

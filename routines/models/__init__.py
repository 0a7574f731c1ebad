from .catalog import (
    BodyZone,
    ConditionRule,
    Contraindication,
    LibraryVersion,
    MassageType,
    PrepItem,
    ProgressionRule,
    Source,
    Technique,
    TechniqueCategory,
    ZoneRule,
)
from .course import Course, CourseSession
from .person import DataVersion, Preferences
from .routine import Routine, RoutineStep
from .screening import DeclaredCondition, Screening
from .session import RunEvent, SessionRun
from .vocab import Direction, HandPart, Intensity, Severity, Side

__all__ = [
    "BodyZone",
    "ConditionRule",
    "Contraindication",
    "Course",
    "CourseSession",
    "DataVersion",
    "DeclaredCondition",
    "Direction",
    "HandPart",
    "Intensity",
    "LibraryVersion",
    "MassageType",
    "Preferences",
    "PrepItem",
    "ProgressionRule",
    "Routine",
    "RoutineStep",
    "RunEvent",
    "Screening",
    "SessionRun",
    "Severity",
    "Side",
    "Source",
    "Technique",
    "TechniqueCategory",
    "ZoneRule",
]

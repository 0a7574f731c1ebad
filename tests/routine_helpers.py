"""Build a person's routines from the real library in a line or two."""

from routines.models import BodyZone, Routine, RoutineStep, Technique


def add_step(routine: Routine, technique: str, zone: str, **fields) -> RoutineStep:
    """Append a step; intensity and direction default to the technique's own."""
    found = Technique.objects.get(slug=technique)
    values = {"duration_s": 60, "intensity": found.intensity, "direction": found.direction}
    return RoutineStep.objects.create(
        routine=routine,
        position=routine.next_position(),
        technique=found,
        zone=BodyZone.objects.get(slug=zone),
        **(values | fields),
    )


def safe_routine(owner, name: str = "Evening back") -> Routine:
    """Stroking, rubbing, stroking on the whole back: nothing the engine refuses."""
    routine = Routine.objects.create(owner=owner, name=name)
    add_step(routine, "light-stroking", "whole-back")
    add_step(routine, "palm-rubbing", "whole-back")
    add_step(routine, "light-stroking", "whole-back")
    return routine

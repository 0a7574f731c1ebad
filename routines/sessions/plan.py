"""Freeze steps and their findings into the plain data a session runs on.

A session keeps its own copy of the plan, so editing the routine later (or the rules) never
changes a session that is under way or in the history. Its texts are frozen too, in the language
active when it is planned: the plan is JSON, so every label goes in as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import Direction, Intensity, Side
from ..safety import Report, StepLike, mild_pain_allowance

REST_SECONDS = 180


def step_data(step: StepLike, report: Report | None) -> dict:
    technique, zone = step.technique, step.zone
    findings = report.for_step(step.position) if report else []
    mild_pain = mild_pain_allowance(technique)
    return {
        "kind": "step",
        "position": step.position,
        "technique": technique.name,
        "technique_slug": technique.slug,
        "category": technique.category.slug,
        "summary": technique.summary,
        "how_to": list(technique.steps)[:4],
        "tempo_per_min": technique.tempo_per_min,
        "zone": zone.name,
        "zone_slug": zone.slug,
        "sensitivity": zone.sensitivity,
        "duration_s": int(step.duration_s),
        "reps": step.reps,
        "intensity": int(step.intensity),
        "intensity_label": str(Intensity(step.intensity).label),
        "direction": step.direction,
        "direction_label": str(Direction(step.direction).label),
        "side": getattr(step, "side", Side.BOTH),
        "side_label": str(Side(getattr(step, "side", Side.BOTH)).label),
        "note": getattr(step, "note", ""),
        # The engine's findings on this step, with their sources: the session page keeps them
        # on screen for the whole step.
        "warnings": [f.as_dict() for f in findings],
        # Whether "it hurts" may answer "only mildly: go on" (the jar only), and why.
        "mild_pain": mild_pain.as_dict() if mild_pain else None,
    }


def rest_step(position: int) -> dict:
    return {
        "kind": "rest",
        "position": position,
        "technique": pgettext("the closing step of a session", "Rest"),
        "technique_slug": "",
        "category": "rest",
        "summary": _("Stay lying down, covered with a towel, and get up slowly afterwards."),
        "how_to": [
            _("Cover the person with a towel or blanket."),
            _("Let them lie still for a few minutes; a short nap is a good sign."),
            _("Get up slowly, without sudden movements."),
        ],
        "tempo_per_min": None,
        "zone": "",
        "zone_slug": "",
        "sensitivity": "none",
        "duration_s": REST_SECONDS,
        "reps": None,
        "intensity": int(Intensity.GENTLE),
        "intensity_label": str(Intensity.GENTLE.label),
        "direction": Direction.STATIC,
        "direction_label": str(Direction.STATIC.label),
        "side": Side.BOTH,
        "side_label": str(Side.BOTH.label),
        "note": "",
        "warnings": [],
    }


def build_plan(steps: Sequence[StepLike], report: Report | None, *, with_rest=True) -> list[dict]:
    """Steps in order, each with its own findings, then the closing rest."""
    ordered = sorted(steps, key=lambda s: s.position)
    plan = [step_data(step, report) for step in ordered]
    if with_rest:
        plan.append(rest_step(len(plan) + 1))
    return plan


def with_findings(plan: Sequence[dict], report: Report) -> list[dict]:
    """A frozen plan as it was planned, each step carrying the engine's findings of today."""
    return [
        {**item, "warnings": [f.as_dict() for f in report.for_step(item["position"])]}
        if item.get("kind") == "step"
        else dict(item)
        for item in plan
    ]

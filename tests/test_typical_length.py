"""A technique's typical length, its page and the default of a new step agree with the source.

Crossed-palm warming: crossed palms rest on the lower back for 30-50 s until warmth is felt
(000). The page says so, a new step starts inside that range, and the ready-made routine that
uses it stays inside it too.
"""

import re

from django.urls import reverse

from routines.models import RoutineStep, Technique
from tests.routine_helpers import safe_routine


def test_crossed_palm_warming_page_says_30_to_50_seconds(client, library):
    technique = Technique.objects.get(slug="crossed-palm-heat")

    html = client.get(technique.get_absolute_url()).content.decode()

    assert technique.typical_seconds == (30, 50)
    assert "30 s to 50 s" in html
    assert "about 1 min" not in html


def test_a_new_crossed_palm_step_starts_inside_the_sources_range(client_logged_in, library, user):
    safe_routine(user)
    technique = Technique.objects.get(slug="crossed-palm-heat")

    html = client_logged_in.get(technique.get_absolute_url()).content.decode()

    default = re.search(r'name="duration_s"[^>]*value="(\d+)"', html)
    assert default, "the add-to-routine form shows a default length"
    assert 30 <= int(default.group(1)) <= 50
    assert technique.default_seconds == 40


def test_ready_made_crossed_palm_steps_stay_inside_the_range(library):
    steps = RoutineStep.objects.filter(
        technique__slug="crossed-palm-heat", routine__owner__isnull=True
    )
    assert steps
    assert all(30 <= s.duration_s <= 50 for s in steps)


def test_a_technique_with_one_typical_figure_says_about_it(client, library):
    technique = (
        Technique.objects.exclude(typical_seconds_min=None).filter(typical_seconds_max=None).first()
    )

    html = client.get(reverse("routines:technique-detail", args=[technique.slug])).content
    assert b"about " in html
    assert technique.default_seconds == min(
        technique.typical_seconds_min, technique.max_seconds or 10**6
    )

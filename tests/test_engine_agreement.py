"""The pages say what the engine says, and the three ways to start agree about one person.

Each library page is compared with the engine asked directly, one step at a time, through the
same `check()` the builder and the session use: zero disagreements over every technique and
every zone. Then the builder, a routine's same-day check and a course session's check are asked
about the same person with high blood pressure (brief 3.3, seed 002).
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.courses import planner
from routines.models import (
    BodyZone,
    Contraindication,
    Direction,
    Intensity,
    SessionRun,
    Severity,
    Technique,
)
from routines.safety import Person, RuleBook, check
from tests.factories import DeclaredConditionFactory, ScreeningFactory
from tests.routine_helpers import safe_routine

INTENSITIES = [int(i) for i in Intensity]


class Probe:
    def __init__(self, technique, zone, intensity):
        self.technique, self.zone, self.intensity = technique, zone, intensity
        self.position, self.duration_s, self.reps = 1, 60, None
        self.direction = Direction.STATIC


def _zone_findings(rules, technique, zone, intensity):
    report = check([Probe(technique, zone, intensity)], Person(), rules=rules)
    return [f for f in report.findings if f.code.startswith("zone:")]


def _expected_restrictions(rules, technique, zones):
    """(zone, severity, lowest intensity when not all) for every zone finding of the engine."""
    expected = set()
    for zone in zones:
        fired: dict[tuple, list[int]] = {}
        for intensity in INTENSITIES:
            for f in _zone_findings(rules, technique, zone, intensity):
                fired.setdefault((f.code, str(f.severity)), []).append(intensity)
        for (_code, severity), at in fired.items():
            lowest = "" if min(at) == INTENSITIES[0] else str(min(at))
            expected.add((zone.slug, severity, lowest))
    return expected


def _shown_restrictions(html):
    section = html.split('id="restrictions"', 1)[1].split("</section>", 1)[0]
    pattern = r'data-zone="([^"]+)" data-severity="([^"]+)" data-from="([^"]*)"'
    return set(re.findall(pattern, section))


def _expected_conditions(rules, technique, zone):
    expected = set()
    for condition in Contraindication.objects.all():
        person = Person((condition,))
        report = check([Probe(technique, zone, Intensity.GENTLE)], person, rules=rules)
        if any(f.code.startswith("condition:") and f.step == 1 for f in report.findings):
            expected.add(condition.slug)
    return expected


def test_every_technique_page_agrees_with_the_engine(client, library):
    rules = RuleBook.load()
    zones = list(BodyZone.objects.all())
    disagreements = []
    for technique in Technique.objects.select_related("category"):
        html = client.get(technique.get_absolute_url()).content.decode()
        shown = _shown_restrictions(html)
        expected = _expected_restrictions(rules, technique, zones)
        if shown != expected:
            disagreements.append((technique.slug, shown ^ expected))
        conditions = set(re.findall(r'data-condition="([^"]+)"', html))
        if conditions != _expected_conditions(rules, technique, zones[0]):
            disagreements.append((technique.slug, "conditions", conditions))
    assert disagreements == []


def _listed(html, section_id):
    if f'id="{section_id}"' not in html:
        return set()
    section = html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    return set(re.findall(r'data-technique="([^"]+)"', section))


def test_every_zone_page_agrees_with_the_engine(client, library):
    rules = RuleBook.load()
    techniques = list(Technique.objects.select_related("category"))
    disagreements = []
    for zone in BodyZone.objects.all():
        html = client.get(zone.get_absolute_url()).content.decode()
        everywhere, stronger = set(), set()
        for technique in techniques:
            refused = [
                i
                for i in INTENSITIES
                if any(
                    f.severity == Severity.FORBIDDEN
                    for f in _zone_findings(rules, technique, zone, i)
                )
            ]
            if refused == INTENSITIES:
                everywhere.add(technique.slug)
            elif refused:
                stronger.add(technique.slug)
        if len(everywhere) == len(techniques):
            ok = "None: no technique is aimed at this zone." in html
        else:
            ok = _listed(html, "forbidden-here") == everywhere
        ok = ok and _listed(html, "stronger-forbidden") == stronger
        ok = ok and not (_listed(html, "suited") & everywhere)
        if not ok:
            disagreements.append(zone.slug)
    assert disagreements == []


def test_the_paravertebral_page_refuses_pressure_only_at_intense(client, library):
    html = client.get("/zones/paravertebral/").content.decode()

    assert "acupressure" not in _listed(html, "forbidden-here")
    assert "acupressure" in _listed(html, "stronger-forbidden")


def test_the_light_stroking_page_lists_no_cupping_only_condition(client, library):
    html = client.get("/techniques/light-stroking/").content.decode()

    assert re.findall(r'data-condition="([^"]+)"', html) == []


# --- One person, one day, three ways to start (brief 3.3 and 9, seed 002) ----------------------


@pytest.fixture
def hypertensive(user):
    screening = ScreeningFactory(user=user, usual_systolic=170)
    hypertension = Contraindication.objects.get(slug="hypertension")
    DeclaredConditionFactory(screening=screening, condition=hypertension)
    return user


def _downward_routine(user):
    """Stroking, rubbing, stroking, all from the neck toward the tailbone, as hypertension asks."""
    routine = safe_routine(user)
    routine.steps.update(direction=Direction.DOWN)
    return routine


def _course_session(user, routine):
    person = Person.of(user, timezone.localdate())
    sessions = planner.plan_course(
        routine, person, total_sessions=10, rhythm="daily", start_date=timezone.localdate()
    )
    course = planner.create_course(user, routine, sessions, name="Course", rhythm="daily")
    return course, course.sessions.get(index=1)


def _start_urls(user):
    routine = _downward_routine(user)
    course, session = _course_session(user, routine)
    return (
        routine,
        course,
        [
            reverse("routines:session-start", args=[routine.pk]),
            reverse("routines:course-session-start", args=[course.pk, session.index]),
        ],
    )


def test_the_builder_asks_for_todays_reading_and_warns_of_the_usual_one(
    client_logged_in, library, hypertensive
):
    routine = _downward_routine(hypertensive)

    response = client_logged_in.get(reverse("routines:builder", args=[routine.pk]))

    report = response.context["report"]
    bp = [f for f in report.findings if "hypertension-bp" in f.code]
    assert [f.severity for f in bp] == [Severity.CAUTION]
    assert "170" in bp[0].message
    assert report.can_start


def test_no_start_path_starts_without_todays_reading(client_logged_in, library, hypertensive):
    _routine, _course, urls = _start_urls(hypertensive)

    statuses = [client_logged_in.post(url, {"check": "1"}).status_code for url in urls]

    assert statuses == [422, 422]
    assert not SessionRun.objects.exists()


def test_no_start_path_starts_above_160(client_logged_in, library, hypertensive):
    _routine, course, urls = _start_urls(hypertensive)

    routine_answer = client_logged_in.post(urls[0], {"check": "1", "systolic": "170"})
    course_answer = client_logged_in.post(urls[1], {"check": "1", "systolic": "170"})

    assert routine_answer.status_code == 409
    assert "above 160" in routine_answer.content.decode()
    assert course_answer.status_code == 302
    assert course.sessions.get(index=1).planned_date > timezone.localdate()
    assert not SessionRun.objects.exists()


def test_both_start_paths_start_with_a_reading_within_the_limit(
    client_logged_in, library, hypertensive
):
    _routine, _course, urls = _start_urls(hypertensive)

    statuses = [
        client_logged_in.post(url, {"check": "1", "systolic": "150"}).status_code for url in urls
    ]

    assert statuses == [302, 302]
    assert SessionRun.objects.count() == 2

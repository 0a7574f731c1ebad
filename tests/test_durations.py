"""The one way the site writes lengths of time, and the template filters that use it."""

import pytest
from django.template import Context, Template

from routines.durations import clock, duration, minutes


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (60, "1 min"),
        (90, "1 min 30 s"),
        (120, "2 min"),
        (1800, "30 min"),
        (3600, "1 h"),
        (3725, "1 h 2 min"),
    ],
)
def test_duration_reads_as_hours_minutes_and_seconds(seconds, text):
    assert duration(seconds) == text


def test_duration_counts_a_part_of_a_second_as_a_whole_one():
    assert duration(59.2) == "1 min"


def test_duration_of_a_negative_time_is_zero():
    assert duration(-5) == "0 s"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "00:00"), (5, "00:05"), (60, "01:00"), (125, "02:05"), (3725, "62:05")],
)
def test_clock_shows_zero_padded_minutes_and_seconds(seconds, text):
    assert clock(seconds) == text


def test_clock_rounds_a_countdown_up_like_the_browser_does():
    assert clock(59.01) == "01:00"


def test_clock_never_goes_below_zero():
    assert clock(-0.4) == "00:00"


@pytest.mark.parametrize(("seconds", "whole"), [(0, 0), (1, 1), (60, 1), (61, 2), (90, 2)])
def test_minutes_rounds_up(seconds, whole):
    assert minutes(seconds) == whole


def render(source: str, **context) -> str:
    return Template("{% load durations %}" + source).render(Context(context))


def test_the_filters_use_the_same_formats():
    html = render("{{ s|duration }} / {{ s|clock }} / {{ s|minutes }}", s=90)

    assert html == "1 min 30 s / 01:30 / 2"


@pytest.mark.parametrize("value", [None, "", "soon"])
def test_a_filter_given_no_number_renders_nothing(value):
    assert render("{{ s|duration }}{{ s|clock }}{{ s|minutes }}", s=value) == ""

"""Alternating massage types over a long treatment (002, brief section 5).

After four courses in a row of one type, planning a fifth of that type, the dashboard and the
course page suggest another type, with ready-made routines of other types to plan from.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.courses import planner
from routines.courses.alternation import ALTERNATE_AFTER
from routines.models import Course, Routine
from routines.safety import Person

ADVICE = "Time for another type of massage"
SOURCE = "002_8d9f8d67dee089ad.txt"


def ready(slug):
    return Routine.objects.get(slug=slug, owner=None)


def make_course(user, slug="classic-therapeutic"):
    routine = ready(slug)
    sessions = planner.plan_course(
        routine,
        Person(),
        total_sessions=10,
        rhythm="every_other_day",
        start_date=timezone.localdate(),
    )
    return planner.create_course(
        user, routine, sessions, name=routine.name, rhythm="every_other_day"
    )


def plan_page(client, slug):
    url = reverse("routines:course-new")
    start = timezone.localdate().isoformat()
    return client.get(
        url,
        {
            "routine": ready(slug).pk,
            "name": "Next",
            "total_sessions": 10,
            "rhythm": "every_other_day",
            "start_date": start,
        },
    ).content.decode()


@pytest.fixture
def four_classic(library, user):
    return [make_course(user) for _ in range(ALTERNATE_AFTER)]


def test_planning_a_fifth_course_of_the_same_type_suggests_another(client_logged_in, four_classic):
    html = plan_page(client_logged_in, "classic-therapeutic")

    assert ADVICE in html
    assert "4 courses in a row have been classic massage" in html
    assert SOURCE in html
    assert ready("relaxing-20-minutes").name in html or "relaxing" in html.lower()
    assert f'?routine={ready("classic-therapeutic").pk}"' not in html.split(ADVICE)[1][:2000]


def test_planning_another_type_after_them_gives_no_advice(client_logged_in, four_classic):
    assert ADVICE not in plan_page(client_logged_in, "relaxing-20-minutes")


def test_three_courses_in_a_row_are_not_yet_a_long_treatment(client_logged_in, library, user):
    for _ in range(ALTERNATE_AFTER - 1):
        make_course(user)

    assert ADVICE not in plan_page(client_logged_in, "classic-therapeutic")
    assert ADVICE not in client_logged_in.get(reverse("routines:dashboard")).content.decode()


def test_the_dashboard_and_the_latest_course_page_suggest_another_type(
    client_logged_in, four_classic
):
    dashboard = client_logged_in.get(reverse("routines:dashboard")).content.decode()
    latest = Course.objects.order_by("-created_at", "-pk").first()
    page = client_logged_in.get(latest.get_absolute_url()).content.decode()

    for html in (dashboard, page):
        assert ADVICE in html
        assert SOURCE in html
        assert "self-massage" in html.lower()


def test_a_course_of_another_type_breaks_the_run(client_logged_in, four_classic, user):
    make_course(user, "relaxing-20-minutes")

    dashboard = client_logged_in.get(reverse("routines:dashboard")).content.decode()

    assert ADVICE not in dashboard
    assert ADVICE not in plan_page(client_logged_in, "classic-therapeutic")

"""The pages the site-wide guards visit: status, one <h1>, valid HTML and accessibility.

Add a page here when it ships; every guard in tests/test_site_guards.py and
tests/e2e/test_quality_gates.py then covers it. A listed page that 404s fails those tests.
"""


def in_both_languages(urls: list[str]) -> list[str]:
    """Each page at its English address, then each at its Russian one (/ru/...)."""
    from django.urls import translate_url

    return [*urls, *(translate_url(url, "ru") for url in urls)]


def public_urls() -> list[str]:
    """Pages anyone can see, with the library loaded, in English and in Russian."""
    return in_both_languages(english_public_urls())


def english_public_urls() -> list[str]:
    return [
        "/",
        "/techniques/",
        "/techniques/light-stroking/",
        "/zones/",
        "/zones/kidney-area/",
        "/contraindications/",
        "/routines/ready-made/",
        "/routines/ready-made/lumbar-protocol/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/not-a-token/",  # a used or forged reset link
        "/accounts/reset/done/",
        "/accounts/goodbye/",
    ]


def logged_in_urls(user) -> list[str]:
    """Pages that need `user` signed in: the routine builder, a running session, a course;
    in English and in Russian.

    Called inside a test, with the database and the library available, after `user` exists and
    before the client or browser visits the pages. It may create objects owned by `user` (through
    tests/factories.py) and return their URLs.
    """
    pages = [*session_urls(user), *course_urls(user), *builder_urls(user), *account_urls(user)]
    return in_both_languages(pages)


def session_urls(user) -> list[str]:
    """The session pages: the check before a start, a running session, a finished one."""
    from django.urls import reverse
    from django.utils import timezone

    from routines.models import Routine, SessionRun
    from routines.safety import check
    from routines.sessions.plan import build_plan

    routine = Routine.objects.get(slug="home-spinal-11-step").copy_for(user)
    plan = build_plan(list(routine.ordered_steps()), check(list(routine.ordered_steps())))
    now = timezone.now()
    running = SessionRun.objects.start(user, routine.name, plan, now, routine=routine)
    running.advance(0, now, skipped=True)
    running.lower_intensity(now)
    ended = SessionRun.objects.start(user, routine.name, plan, now, routine=routine)
    ended.pause(now)
    ended.resume(now)
    ended.stop(SessionRun.StopReason.PAIN, now)
    return [
        reverse("routines:session-start", args=[routine.pk]),
        reverse("routines:session-run", args=[running.pk]),
        reverse("routines:session-summary", args=[ended.pk]),
    ]


def course_urls(user) -> list[str]:
    """The course pages: the dashboard, planning with its preview, a course under way, cards."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from routines.courses import planner
    from routines.models import CourseSession, Routine
    from routines.safety import Person

    today = timezone.localdate()
    ready_made = Routine.objects.get(slug="lumbar-protocol")
    sessions = planner.plan_course(
        ready_made,
        Person(),
        total_sessions=12,
        rhythm="every_other_day",
        start_date=today - dt.timedelta(days=4),
    )
    course = planner.create_course(user, ready_made, sessions, name="Lower back", rhythm="daily")
    CourseSession.objects.filter(course=course, index__in=[1, 2]).update(
        status=CourseSession.Status.DONE, minutes_done=12, pain_before=4, pain_after=2
    )
    course.sessions.filter(index=3).update(held_back_reason="Pain rose from 2 to 4 after session 2")
    new = reverse("routines:course-new")
    preview = (
        f"{new}?routine={ready_made.pk}&name=Spring&total_sessions=10&rhythm=daily"
        f"&start_date={today.isoformat()}"
    )
    return [
        reverse("routines:dashboard"),
        f"{new}?routine={ready_made.pk}",
        preview,
        reverse("routines:course-detail", args=[course.pk]),
        reverse("routines:course-card", args=[course.pk]),
        reverse("routines:routine-card", args=[course.routine_id]),
        reverse("routines:course-session-start", args=[course.pk, 3]),
    ]


def builder_urls(user) -> list[str]:
    """The person's own area: routines, the builder with refused steps and an open edit form,
    the deletion check, the screening with its consequences, the password change."""
    import datetime as dt

    from django.urls import reverse

    from routines.models import Contraindication, DeclaredCondition, Routine, Screening
    from tests.routine_helpers import add_step

    screening, _ = Screening.objects.get_or_create(user=user)
    for slug, until in [("hernia", None), ("fever", dt.date(2000, 1, 1))]:
        DeclaredCondition.objects.get_or_create(
            screening=screening,
            condition=Contraindication.objects.get(slug=slug),
            defaults={"until": until},
        )
    routine = Routine.objects.get(slug="lumbar-protocol").copy_for(user)
    kidney = add_step(routine, "tapping", "kidney-area")
    add_step(routine, "palm-rubbing", "spine")
    return [
        reverse("routines:routine-list"),
        reverse("routines:technique-detail", args=["tapping"]),
        reverse("routines:builder", args=[routine.pk]),
        reverse("routines:step-edit", args=[routine.pk, kidney.pk]),
        reverse("routines:routine-delete", args=[routine.pk]),
        reverse("routines:screening"),
        reverse("password_change"),
        reverse("password_change_done"),
    ]


def account_urls(user) -> list[str]:
    """The account page (e-mail address, data download) and the account deletion check."""
    from django.urls import reverse

    return [reverse("routines:account"), reverse("routines:account-delete")]

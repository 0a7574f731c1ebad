"""The library's ready-made routines: reading them and copying one into one's own."""

from django.urls import reverse

from routines.models import LibraryVersion, Routine
from tests.routine_helpers import add_step

SLUG = "home-spinal-11-step"


def test_it_lists_the_ready_made_routines_with_time_and_sources(client, library):
    response = client.get(reverse("routines:ready-made-list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Home spinal massage in 11 steps" in html
    assert "002_8d9f8d67dee089ad.txt" in html


def test_it_lists_the_whole_body_self_massage(client, library):
    html = client.get(reverse("routines:ready-made-list")).content.decode()

    assert "Whole-body self-massage (about 30 minutes)" in html
    assert reverse("routines:ready-made-detail", args=["whole-body-self-massage"]) in html


def test_the_whole_body_self_massage_shows_its_steps_and_the_lymph_areas_they_skip(client, library):
    routine = Routine.objects.get(slug="whole-body-self-massage", owner=None)

    response = client.get(reverse("routines:ready-made-detail", args=[routine.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<li class="card">') == routine.steps.count()
    assert "Clockwise abdominal circles" in html and "Scalp self-rub" in html
    assert "inner bend of the elbow" in html and "back of the knee" in html


def test_it_shows_a_routine_with_its_steps_and_sources(client, library):
    routine = Routine.objects.get(slug=SLUG, owner=None)

    response = client.get(reverse("routines:ready-made-detail", args=[SLUG]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<li class="card">') == routine.steps.count()
    assert "002_8d9f8d67dee089ad.txt" in html


def test_an_unknown_ready_made_routine_is_404(client, library):
    response = client.get(reverse("routines:ready-made-detail", args=["no-such-routine"]))

    assert response.status_code == 404


def test_a_personal_routine_is_not_a_ready_made_one(client, library, user):
    mine = Routine.objects.create(owner=user, name="Mine", slug="mine")

    response = client.get(reverse("routines:ready-made-detail", args=[mine.slug]))

    assert response.status_code == 404


def test_it_copies_a_routine_into_mine_and_opens_the_builder(client_logged_in, user, library):
    original = Routine.objects.get(slug=SLUG, owner=None)

    response = client_logged_in.post(reverse("routines:ready-made-copy", args=[SLUG]))

    copy = Routine.objects.get(owner=user)
    assert response.status_code == 302
    assert response.url == reverse("routines:builder", args=[copy.pk])
    assert copy.based_on == original
    assert copy.steps.count() == original.steps.count()


def test_editing_the_copy_leaves_the_original_alone(client_logged_in, user, library):
    original = Routine.objects.get(slug=SLUG, owner=None)
    client_logged_in.post(reverse("routines:ready-made-copy", args=[SLUG]))
    copy = Routine.objects.get(owner=user)

    add_step(copy, "light-stroking", "whole-back")

    assert copy.steps.count() == original.steps.count() + 1


def test_copying_needs_an_account(client, library):
    response = client.post(reverse("routines:ready-made-copy", args=[SLUG]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Routine.objects.filter(owner__isnull=False).exists()


def test_copying_is_a_post(client_logged_in, library):
    response = client_logged_in.get(reverse("routines:ready-made-copy", args=[SLUG]))

    assert response.status_code == 405


def test_copying_an_unknown_routine_is_404(client_logged_in, library, user):
    response = client_logged_in.post(reverse("routines:ready-made-copy", args=["nope"]))

    assert response.status_code == 404
    assert not Routine.objects.filter(owner=user).exists()


def test_the_list_needs_the_same_queries_whatever_the_number_of_routines(
    client, library, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6) as small:
        client.get(reverse("routines:ready-made-list"))
    for original in list(Routine.objects.ready_made()):
        for number in range(9):
            extra = Routine.objects.create(slug=f"{original.slug}-{number}", name=original.name)
            extra.sources.set(original.sources.all())
            add_step(extra, "light-stroking", "whole-back")
    LibraryVersion.objects.bump()  # as load_library does: the cached list is rebuilt
    with django_assert_max_num_queries(6) as large:
        client.get(reverse("routines:ready-made-list"))

    assert len(large.captured_queries) == len(small.captured_queries)


def test_it_offers_to_plan_a_course_from_a_ready_made_routine(client_logged_in, library):
    from routines.models import Routine

    routine = Routine.objects.ready_made().get(slug="lumbar-protocol")
    html = client_logged_in.get(f"/routines/ready-made/{routine.slug}/").content.decode()
    assert f'href="/courses/new/?routine={routine.pk}"' in html

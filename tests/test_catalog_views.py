"""The library pages through HTTP: content, filters, htmx fragments, bad input, query budgets."""

import pytest
from django.utils.html import escape

from routines.models import BodyZone, Source, Technique, TechniqueCategory, ZoneRule
from tests.budgets import LIBRARY_BUILD, LIBRARY_BUILD_LOGGED_IN, announce_changes, build_queries

pytestmark = pytest.mark.usefixtures("library")


def grow_catalogue_tenfold():
    """Nine more techniques, zones and zone rules for every one in the library, all linked."""
    source = Source.objects.first()
    categories = list(TechniqueCategory.objects.all())
    kidney = BodyZone.objects.get(slug="kidney-area")
    n_techniques = Technique.objects.count() * 9
    n_zones = BodyZone.objects.count() * 9
    techniques = Technique.objects.bulk_create(
        Technique(
            slug=f"extra-{n}",
            name=f"Extra technique {n}",
            summary="Extra.",
            category=categories[n % len(categories)],
            hand_part="palm",
            direction="bottom_to_top",
            intensity=1 + n % 3,
            aliases=[f"alias {n}"],
        )
        for n in range(n_techniques)
    )
    zones = BodyZone.objects.bulk_create(
        BodyZone(
            slug=f"extra-zone-{n}",
            name=f"Extra zone {n}",
            region="lower_back",
            height_rank=4,
            description="Extra.",
        )
        for n in range(n_zones)
    )
    ZoneRule.objects.bulk_create(
        ZoneRule(
            code=f"extra-rule-{n}",
            zone=zone,
            applies_to_all=True,
            severity="caution",
            message="Extra.",
        )
        for n, zone in enumerate(zones)
    )
    Technique.typical_zones.through.objects.bulk_create(
        Technique.typical_zones.through(technique=t, bodyzone=z)
        for t in techniques
        for z in (kidney, zones[hash(t.slug) % len(zones)])
    )
    Technique.sources.through.objects.bulk_create(
        Technique.sources.through(technique=t, source=source) for t in techniques
    )


PAGES = [
    "/techniques/",
    "/techniques/?category=rubbing&intensity=2",
    "/techniques/light-stroking/",
    "/zones/",
    "/zones/kidney-area/",
    "/contraindications/",
    "/massage-types/",
]


@pytest.mark.parametrize("url", PAGES)
def test_query_budget_does_not_grow_with_ten_times_the_catalogue(
    client, url, django_assert_max_num_queries
):
    _, small = build_queries(client, url, django_assert_max_num_queries, LIBRARY_BUILD)
    grow_catalogue_tenfold()
    announce_changes()  # as load_library does
    _, large = build_queries(client, url, django_assert_max_num_queries, LIBRARY_BUILD)
    assert large == small


def test_technique_list_shows_every_technique(client):
    html = client.get("/techniques/").content.decode()
    assert html.count('<h2 class="h3">') == 60


def test_technique_list_filters_by_category_zone_intensity_and_type(client):
    response = client.get(
        "/techniques/", {"category": "percussion", "zone": "buttocks", "intensity": "1"}
    )
    names = {t.slug for t in response.context["techniques"]}
    assert names and all(Technique.objects.get(slug=s).category.slug == "percussion" for s in names)
    assert "fist-beating" not in names  # intense
    by_type = client.get("/techniques/", {"type": "cupping"}).context["techniques"]
    assert "cupping" in {t.slug for t in by_type}


def test_technique_list_finds_a_garbled_alias(client):
    response = client.get("/techniques/", {"q": "concussion"})
    assert {t.slug for t in response.context["techniques"]} == {"shaking", "sieve-shaking"}


def test_searching_effleurage_finds_both_meanings_with_their_explanations(client):
    response = client.get("/techniques/", {"q": "effleurage"})

    html = response.content.decode()
    assert {t.slug for t in response.context["techniques"]} == {"light-stroking", "fist-beating"}
    for slug in ["light-stroking", "fist-beating"]:
        note = Technique.objects.get(slug=slug).alias_notes["effleurage"]
        assert escape(note) in html
    assert html.count('class="alias-note small" data-alias="effleurage"') == 2


def test_a_search_explains_only_the_alias_it_matched(client):
    html = client.get("/techniques/", {"q": "pounding"}).content.decode()

    assert "Fist beating" in html
    assert 'class="alias-note' not in html


def test_the_plain_list_explains_no_alias(client):
    assert 'class="alias-note' not in client.get("/techniques/").content.decode()


@pytest.mark.parametrize("slug", ["light-stroking", "fist-beating"])
def test_technique_page_explains_what_its_aliases_mean_here(client, slug):
    html = client.get(f"/techniques/{slug}/").content.decode()

    note = Technique.objects.get(slug=slug).alias_notes["effleurage"]
    assert "About its names" in html
    assert f'<dd data-alias="effleurage">{escape(note)}</dd>' in html


def test_technique_page_without_explained_aliases_has_no_names_section(client):
    assert "About its names" not in client.get("/techniques/sawing/").content.decode()


def test_technique_list_answers_htmx_with_the_results_fragment_only(client):
    response = client.get("/techniques/", {"q": "sawing"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<h1" not in html and "Sawing" in html


def test_technique_list_works_as_a_plain_get_form_without_javascript(client):
    html = client.get("/techniques/").content.decode()
    assert 'method="get"' in html and 'action="/techniques/"' in html
    assert '<button type="submit">' in html


@pytest.mark.parametrize(
    "query",
    [
        {"intensity": "9"},
        {"intensity": "garbage"},
        {"category": "no-such-category"},
        {"zone": "spine"},  # never a target, so not a filter choice
        {"q": "x" * 200},
    ],
)
def test_technique_list_refuses_bad_filters_with_400_and_a_message(client, query):
    response = client.get("/techniques/", query)
    assert response.status_code == 400
    assert "not understood" in response.content.decode()


def test_technique_page_shows_how_to_rules_and_sources(client):
    html = client.get("/techniques/tapping/").content.decode()
    assert "How to do it" in html
    assert "Forbidden" in html and "kidneys" in html.lower()
    assert "002_8d9f8d67dee089ad.txt" in html


def test_technique_page_lists_conditions_that_rule_it_out(client):
    html = client.get("/techniques/cupping/").content.decode()
    assert "Conditions that rule it out" in html and "Pregnancy" in html


def test_unknown_technique_is_a_404(client):
    assert client.get("/techniques/no-such-technique/").status_code == 404


def test_body_map_links_every_drawn_zone_and_marks_restricted_ones(client):
    html = client.get("/zones/").content.decode()
    for slug in [
        "neck",
        "collar",
        "shoulders",
        "shoulder-blades",
        "interscapular",
        "thoracic",
        "paravertebral",
        "spine",
        "kidney-area",
        "lumbar",
        "sacrum",
        "buttocks",
        "sides",
    ]:
        assert f'href="/zones/{slug}/"' in html and f'id="zone-{slug}"' in html
    assert 'aria-label="Kidney' in html and "restricted" in html
    assert 'class="restricted"' in html


def test_zone_page_for_the_kidney_area_lists_forbidden_techniques(client):
    response = client.get("/zones/kidney-area/")
    forbidden = {v.technique.slug for v in response.context["forbidden"]}
    assert {"tapping", "vibration", "kneading", "cupping"} <= forbidden
    suited = {v.technique.slug for v in response.context["suited"]}
    assert "tapping" not in suited


def test_zone_page_for_the_spine_points_to_the_strips_beside_it(client):
    response = client.get("/zones/spine/")
    assert response.context["everything_forbidden"]
    assert 'href="/zones/paravertebral/"' in response.content.decode()


def test_unknown_zone_is_a_404(client):
    assert client.get("/zones/no-such-zone/").status_code == 404


def test_contraindications_are_grouped_absolute_temporary_and_condition_specific(client):
    html = client.get("/contraindications/").content.decode()
    absolute = html.index('id="absolute"')
    temporary = html.index('id="temporary"')
    conditional = html.index('id="conditional"')
    assert absolute < temporary < conditional
    assert html.index("Tuberculosis") < temporary < html.index("Menstrual period") < conditional
    assert "For a routine:" in html


def test_catalogue_pages_refuse_post(client):
    assert client.post("/techniques/").status_code == 405


def test_technique_page_offers_anonymous_people_a_login_link_to_add_it(client):
    html = client.get("/techniques/light-stroking/").content.decode()
    assert "/accounts/login/?next=/techniques/light-stroking/" in html


def test_technique_page_offers_my_routines_to_add_it_to(client, user):
    from tests.factories import RoutineFactory

    RoutineFactory(owner=user, name="Evening back")
    RoutineFactory(name="Someone else's")
    client.force_login(user)
    html = client.get("/techniques/light-stroking/").content.decode()
    assert "Evening back" in html and "Someone else" not in html
    assert 'action="/me/routines/add-step/"' in html


def test_technique_page_keeps_its_query_budget_for_a_person_with_many_routines(
    client, user, django_assert_max_num_queries
):
    from tests.factories import RoutineFactory

    client.force_login(user)
    RoutineFactory(owner=user)
    url, budget = "/techniques/light-stroking/", LIBRARY_BUILD_LOGGED_IN
    _, small = build_queries(client, url, django_assert_max_num_queries, budget)
    RoutineFactory.create_batch(10, owner=user)
    _, large = build_queries(client, url, django_assert_max_num_queries, budget)
    assert large == small

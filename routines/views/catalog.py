"""Browsing the library: techniques, zones on the back map, contraindications."""

from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..forms import TechniqueFilterForm
from ..models import (
    BodyZone,
    ConditionRule,
    Contraindication,
    MassageType,
    Routine,
    Source,
    Technique,
    TechniqueCategory,
    ZoneRule,
)

# Later shapes are drawn on top: the narrow strips and the spine must stay clickable.
MAP_DRAW_ORDER = [
    "neck",
    "collar",
    "shoulders",
    "shoulder-blades",
    "interscapular",
    "thoracic",
    "heart-projection",
    "sides",
    "lumbar",
    "kidney-area",
    "buttocks",
    "sacrum",
    "paravertebral",
    "spine",
]

SOURCES = Prefetch("sources", queryset=Source.objects.only("file_name"))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "categories": TechniqueCategory.objects.annotate_count(),
        "ready_made": Routine.objects.ready_made().with_totals().order_by("name"),
    }
    return render(request, "catalog/home.html", context)


@require_GET
def technique_list(request: HttpRequest) -> HttpResponse:
    form = TechniqueFilterForm(request.GET or None)
    techniques = Technique.objects.for_list()
    status = 200
    if form.is_bound:
        if form.is_valid():
            techniques = form.filter(techniques)
        else:
            techniques = techniques.none()
            status = 400
    context = {"form": form, "techniques": techniques, "nav": "techniques"}
    template = "catalog/technique_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context, status=status)


@require_GET
def technique_detail(request: HttpRequest, slug: str) -> HttpResponse:
    technique = get_object_or_404(
        Technique.objects.select_related("category").prefetch_related(
            SOURCES,
            Prefetch("typical_zones", queryset=BodyZone.objects.order_by("-height_rank")),
            "massage_types",
        ),
        slug=slug,
    )
    zone_rules = (
        ZoneRule.objects.filter(
            Q(applies_to_all=True) | Q(technique=technique) | Q(category=technique.category_id)
        )
        .select_related("zone")
        .prefetch_related(SOURCES)
        .order_by("severity", "zone__name")
    )
    condition_rules = (
        ConditionRule.objects.filter(
            Q(technique=technique)
            | Q(category=technique.category_id)
            | Q(massage_type__in=technique.massage_types.all())
        )
        .filter(effect__in=["forbid_category", "forbid_technique", "forbid_type"])
        .select_related("condition")
        .prefetch_related(SOURCES)
        .order_by("condition__name")
    )
    context = {
        "technique": technique,
        "forbidden_rules": [r for r in zone_rules if r.severity == "forbidden"],
        "caution_rules": [r for r in zone_rules if r.severity == "caution"],
        "condition_rules": condition_rules,
        "nav": "techniques",
    }
    if request.user.is_authenticated:
        context["my_routines"] = Routine.objects.owned_by(request.user).only("pk", "name")
        context["step_zones"] = BodyZone.objects.targetable().only("slug", "name")
    return render(request, "catalog/technique_detail.html", context)


@require_GET
def zone_map(request: HttpRequest) -> HttpResponse:
    zones = list(BodyZone.objects.order_by("-height_rank", "name"))
    by_slug = {z.slug: z for z in zones if z.map_shape}
    context = {
        "zones": zones,
        "map_layers": [by_slug[slug] for slug in MAP_DRAW_ORDER if slug in by_slug],
        "nav": "zones",
    }
    return render(request, "catalog/zone_map.html", context)


@require_GET
def zone_detail(request: HttpRequest, slug: str) -> HttpResponse:
    zone = get_object_or_404(
        BodyZone.objects.select_related("parent", "instead").prefetch_related(SOURCES), slug=slug
    )
    chain_ids = [zone.pk] + ([zone.parent_id] if zone.parent_id else [])
    rules = list(
        ZoneRule.objects.filter(zone__in=chain_ids)
        .select_related("zone", "category", "technique")
        .prefetch_related(SOURCES)
        .order_by("severity", "code")
    )
    forbidden_categories = {
        r.category_id for r in rules if r.severity == "forbidden" and r.category_id
    }
    forbidden_techniques = {
        r.technique_id for r in rules if r.severity == "forbidden" and r.technique_id
    }
    everything_forbidden = (
        any(r.applies_to_all and r.severity == "forbidden" and not r.min_intensity for r in rules)
        or not zone.is_targetable
    )
    suited = [
        t
        for t in zone.techniques.select_related("category").order_by(
            "category__sequence_rank", "name"
        )
        if t.category_id not in forbidden_categories and t.pk not in forbidden_techniques
    ]
    forbidden = Technique.objects.select_related("category").filter(
        Q(category__in=forbidden_categories) | Q(pk__in=forbidden_techniques)
    )
    context = {
        "zone": zone,
        "rules": rules,
        "suited": [] if everything_forbidden else suited,
        "forbidden": forbidden.order_by("category__sequence_rank", "name"),
        "everything_forbidden": everything_forbidden,
        "nav": "zones",
    }
    return render(request, "catalog/zone_detail.html", context)


@require_GET
def contraindication_list(request: HttpRequest) -> HttpResponse:
    conditions = Contraindication.objects.prefetch_related(SOURCES).order_by("name")
    groups = [
        (kind, label, [c for c in conditions if c.kind == kind])
        for kind, label in Contraindication.Kind.choices
    ]
    context = {"groups": groups, "nav": "contraindications"}
    return render(request, "catalog/contraindication_list.html", context)


@require_GET
def massage_type_list(request: HttpRequest) -> HttpResponse:
    types = MassageType.objects.prefetch_related(SOURCES).order_by("name")
    return render(request, "catalog/massage_type_list.html", {"types": types})

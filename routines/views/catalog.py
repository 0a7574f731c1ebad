"""Browsing the library: techniques, zones on the back map, contraindications."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ..forms.catalog import TechniqueFilterForm
from ..forms.routines import unavailable_label
from ..models import (
    BodyZone,
    Contraindication,
    MassageType,
    Routine,
    Severity,
    Source,
    Technique,
    TechniqueCategory,
)
from ..safety import RuleBook, library
from .page_cache import cached_page

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


@require_safe
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "categories": TechniqueCategory.objects.annotate_count(),
        "ready_made": Routine.objects.ready_made().with_totals().order_by("name"),
    }
    return render(request, "catalog/home.html", context)


@require_safe
@cached_page
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


@require_safe
@cached_page
def technique_detail(request: HttpRequest, slug: str) -> HttpResponse:
    technique = get_object_or_404(
        Technique.objects.select_related("category").prefetch_related(
            SOURCES,
            Prefetch("typical_zones", queryset=BodyZone.objects.order_by("-height_rank")),
            "massage_types",
        ),
        slug=slug,
    )
    rules = RuleBook.load()
    found = library.technique_restrictions(rules, technique)
    context = {
        "technique": technique,
        "forbidden": [r for r in found if r.severity == Severity.FORBIDDEN],
        "cautions": [r for r in found if r.severity == Severity.CAUTION],
        "ruled_out": library.conditions_ruling_out(rules, technique),
        "nav": "techniques",
    }
    if request.user.is_authenticated:
        context["my_routines"] = Routine.objects.owned_by(request.user).only("pk", "name")
        zones = list(BodyZone.objects.select_related("instead"))
        context["usual_zones"] = [z for z in technique.typical_zones.all() if z.is_targetable]
        context["step_zones"] = [z for z in zones if z.is_targetable]
        context["unavailable_zones"] = [
            (z.slug, unavailable_label(z)) for z in zones if not z.is_targetable
        ]
    return render(request, "catalog/technique_detail.html", context)


@require_safe
@cached_page
def zone_map(request: HttpRequest) -> HttpResponse:
    zones = list(BodyZone.objects.order_by("-height_rank", "name"))
    by_slug = {z.slug: z for z in zones if z.map_shape}
    context = {
        "zones": zones,
        "map_layers": [by_slug[slug] for slug in MAP_DRAW_ORDER if slug in by_slug],
        "nav": "zones",
    }
    return render(request, "catalog/zone_map.html", context)


@require_safe
@cached_page
def zone_detail(request: HttpRequest, slug: str) -> HttpResponse:
    zone = get_object_or_404(
        BodyZone.objects.select_related("parent", "instead").prefetch_related(SOURCES), slug=slug
    )
    rules = RuleBook.load()
    techniques = Technique.objects.select_related("category").order_by(
        "category__sequence_rank", "name"
    )
    verdicts = library.zone_verdicts(rules, zone, techniques)
    typical = set(zone.techniques.values_list("pk", flat=True))
    context = {
        "zone": zone,
        "rules": rules.rules_on(zone),
        "suited": [v for v in verdicts if v.technique.pk in typical and not v.forbidden_everywhere],
        "forbidden": [v for v in verdicts if v.forbidden_everywhere],
        "stronger_forbidden": [v for v in verdicts if v.forbidden_from],
        "everything_forbidden": all(v.forbidden_everywhere for v in verdicts),
        "nav": "zones",
    }
    return render(request, "catalog/zone_detail.html", context)


@require_safe
@cached_page
def contraindication_list(request: HttpRequest) -> HttpResponse:
    conditions = Contraindication.objects.prefetch_related(SOURCES).order_by("name")
    groups = [
        (kind, label, [c for c in conditions if c.kind == kind])
        for kind, label in Contraindication.Kind.choices
    ]
    context = {"groups": groups, "nav": "contraindications"}
    return render(request, "catalog/contraindication_list.html", context)


@require_safe
@cached_page
def massage_type_list(request: HttpRequest) -> HttpResponse:
    types = MassageType.objects.prefetch_related(SOURCES).order_by("name")
    return render(request, "catalog/massage_type_list.html", {"types": types})

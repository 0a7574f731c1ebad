"""Admin for editors: the catalogue and its rules, plus read-mostly views of people's data."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from . import models as m


class ChangesLibrary(TranslationAdmin):
    """An edit here changes what library pages show: a new library version, so cached pages and
    ETags made before it stop matching on the next request.

    Every catalogue text is edited in English and Russian side by side (routines/translation.py).
    """

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        m.LibraryVersion.objects.bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        m.LibraryVersion.objects.bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        m.LibraryVersion.objects.bump()


class ChangesPersonalData(admin.ModelAdmin):
    """An edit here changes a person's own pages: a new data version for the owner, so their
    cached pages and ETags made before it stop matching (routines/views/page_cache.py)."""

    owner_field = "owner"

    def _bump(self, owner_ids) -> None:
        for owner_id in {pk for pk in owner_ids if pk}:
            m.DataVersion.objects.bump(owner_id)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._bump([getattr(form.instance, f"{self.owner_field}_id")])

    def delete_model(self, request, obj):
        owner_id = getattr(obj, f"{self.owner_field}_id")
        super().delete_model(request, obj)
        self._bump([owner_id])

    def delete_queryset(self, request, queryset):
        owner_ids = list(queryset.values_list(self.owner_field, flat=True))
        super().delete_queryset(request, queryset)
        self._bump(owner_ids)


class SourcedAdmin(ChangesLibrary):
    filter_horizontal = ["sources"]
    save_on_top = True


@admin.register(m.Source)
class SourceAdmin(ChangesLibrary):
    list_display = ["file_name", "title"]
    search_fields = ["file_name", "title"]


@admin.register(m.TechniqueCategory)
class TechniqueCategoryAdmin(SourcedAdmin):
    list_display = ["name", "slug", "sequence_rank", "is_warming", "is_impact"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(m.MassageType)
class MassageTypeAdmin(SourcedAdmin):
    list_display = ["name", "slug", "requires_professional", "default_minutes"]
    prepopulated_fields = {"slug": ["name_en"]}


class ZoneRuleInline(TranslationTabularInline):
    model = m.ZoneRule
    fk_name = "zone"
    extra = 0
    fields = [
        "code",
        "category",
        "technique",
        "applies_to_all",
        "min_intensity",
        "severity",
        "message",
    ]
    autocomplete_fields = ["technique"]
    show_change_link = True


@admin.register(m.BodyZone)
class BodyZoneAdmin(SourcedAdmin):
    list_display = ["name", "slug", "region", "sensitivity", "is_targetable", "height_rank"]
    list_filter = ["region", "sensitivity", "is_targetable"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent", "instead"]
    inlines = [ZoneRuleInline]


@admin.register(m.Technique)
class TechniqueAdmin(SourcedAdmin):
    list_display = [
        "name",
        "category",
        "intensity",
        "hand_part",
        "tempo_per_min",
        "is_self_massage",
    ]
    list_filter = [
        "category",
        "intensity",
        "is_self_massage",
        "requires_professional",
        "massage_types",
    ]
    search_fields = ["name", "slug", "alias_text", "summary"]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["sources", "typical_zones", "massage_types"]
    list_select_related = ["category"]


class ConditionRuleInline(TranslationTabularInline):
    model = m.ConditionRule
    extra = 0
    fields = [
        "code",
        "effect",
        "severity",
        "category",
        "technique",
        "massage_type",
        "direction",
        "systolic_threshold",
        "max_minutes",
        "message",
    ]
    autocomplete_fields = ["technique"]
    show_change_link = True


@admin.register(m.Contraindication)
class ContraindicationAdmin(SourcedAdmin):
    list_display = ["name", "code", "kind", "see_doctor"]
    list_filter = ["kind", "see_doctor"]
    search_fields = ["name", "slug", "code"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ConditionRuleInline]


@admin.register(m.ZoneRule)
class ZoneRuleAdmin(SourcedAdmin):
    list_display = [
        "code",
        "zone",
        "category",
        "technique",
        "applies_to_all",
        "min_intensity",
        "severity",
    ]
    list_filter = ["severity", "zone", "category"]
    search_fields = ["code", "message"]
    autocomplete_fields = ["zone", "technique"]
    list_select_related = ["zone", "category", "technique"]


@admin.register(m.ConditionRule)
class ConditionRuleAdmin(SourcedAdmin):
    list_display = ["code", "condition", "effect", "severity"]
    list_filter = ["effect", "severity"]
    search_fields = ["code", "message", "condition__name"]
    autocomplete_fields = ["condition", "technique"]
    list_select_related = ["condition"]


@admin.register(m.ProgressionRule)
class ProgressionRuleAdmin(SourcedAdmin):
    list_display = ["__str__", "start_minutes", "minutes_step", "max_minutes", "max_intensity"]
    filter_horizontal = ["sources", "allowed_categories"]


@admin.register(m.PrepItem)
class PrepItemAdmin(SourcedAdmin):
    list_display = ["text", "phase", "group", "condition", "position"]
    list_filter = ["phase", "group"]
    search_fields = ["text"]


class RoutineStepInline(TranslationTabularInline):
    model = m.RoutineStep
    extra = 0
    autocomplete_fields = ["technique", "zone"]


@admin.register(m.Routine)
class RoutineAdmin(ChangesLibrary, ChangesPersonalData):
    list_display = ["name", "owner", "slug", "massage_type", "updated_at"]
    list_filter = ["massage_type"]
    search_fields = ["name", "slug", "owner__username"]
    inlines = [RoutineStepInline]
    filter_horizontal = ["sources"]
    raw_id_fields = ["owner", "based_on"]


class DeclaredConditionInline(admin.TabularInline):
    model = m.DeclaredCondition
    extra = 0


@admin.register(m.Screening)
class ScreeningAdmin(ChangesPersonalData):
    owner_field = "user"

    list_display = ["user", "usual_systolic", "updated_at"]
    inlines = [DeclaredConditionInline]
    raw_id_fields = ["user"]


class RunEventInline(admin.TabularInline):
    model = m.RunEvent
    extra = 0


@admin.register(m.SessionRun)
class SessionRunAdmin(ChangesPersonalData):
    list_display = ["title", "owner", "state", "stop_reason", "started_at", "ended_at"]
    list_filter = ["state", "stop_reason"]
    inlines = [RunEventInline]
    raw_id_fields = ["owner", "routine", "course_session"]


class CourseSessionInline(admin.TabularInline):
    model = m.CourseSession
    extra = 0
    fields = [
        "index",
        "planned_date",
        "target_minutes",
        "max_intensity",
        "status",
        "pain_before",
        "pain_after",
    ]


@admin.register(m.Course)
class CourseAdmin(ChangesPersonalData):
    list_display = ["name", "owner", "total_sessions", "rhythm", "start_date", "status"]
    list_filter = ["status", "rhythm"]
    inlines = [CourseSessionInline]
    raw_id_fields = ["owner", "routine"]

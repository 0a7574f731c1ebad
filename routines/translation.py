"""The catalogue's texts in every language of the site (django-modeltranslation).

Each field named here gets one column per language (`name_en`, `name_ru`); reading `name`
gives the active language's text. The English and Russian texts are authored in
routines/content/ and routines/content/ru/ and written by load_library.

A person's own routine names and step notes are registered too, because a person's copy of a
ready-made routine starts from its texts; what a person types goes into their language's
column, and the fallbacks in settings show it in the other language as well.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    BodyZone,
    ConditionRule,
    Contraindication,
    MassageType,
    PrepItem,
    ProgressionRule,
    Routine,
    RoutineStep,
    Source,
    Technique,
    TechniqueCategory,
    ZoneRule,
)


@register(Source)
class SourceTexts(TranslationOptions):
    fields = ("title", "summary")


@register(TechniqueCategory)
class CategoryTexts(TranslationOptions):
    fields = ("name", "description")


@register(MassageType)
class MassageTypeTexts(TranslationOptions):
    fields = ("name", "description")


@register(BodyZone)
class ZoneTexts(TranslationOptions):
    fields = ("name", "description")


@register(Technique)
class TechniqueTexts(TranslationOptions):
    fields = ("name", "aliases", "alias_notes", "summary", "steps", "equipment", "cautions")


@register(Contraindication)
class ContraindicationTexts(TranslationOptions):
    fields = ("name", "description", "effect", "conflict_note")


@register(ZoneRule)
class ZoneRuleTexts(TranslationOptions):
    fields = ("message",)


@register(ConditionRule)
class ConditionRuleTexts(TranslationOptions):
    fields = ("message",)


@register(ProgressionRule)
class ProgressionTexts(TranslationOptions):
    fields = ("note",)


@register(PrepItem)
class PrepItemTexts(TranslationOptions):
    fields = ("text",)


@register(Routine)
class RoutineTexts(TranslationOptions):
    fields = ("name", "description")


@register(RoutineStep)
class RoutineStepTexts(TranslationOptions):
    fields = ("note",)

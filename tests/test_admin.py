"""Editors can open every catalogue page of the admin."""

import pytest
from django.urls import reverse

from routines import models as m

CATALOGUE = [
    m.Source,
    m.TechniqueCategory,
    m.MassageType,
    m.BodyZone,
    m.Technique,
    m.Contraindication,
    m.ZoneRule,
    m.ConditionRule,
    m.ProgressionRule,
    m.PrepItem,
    m.Routine,
]


@pytest.fixture
def editor_client(client, django_user_model, library):
    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw-123-xyz")
    client.force_login(editor)
    return client


@pytest.mark.parametrize("model", CATALOGUE, ids=lambda model: model.__name__)
def test_it_lists_and_opens_each_catalogue_model(editor_client, model):
    meta = model._meta
    assert (
        editor_client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        ).status_code
        == 200
    )
    obj = model.objects.first()
    assert (
        editor_client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        ).status_code
        == 200
    )


def test_it_hides_the_admin_from_people_who_are_not_staff(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:routines_technique_changelist"))
    assert response.status_code == 302

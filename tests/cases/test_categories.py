from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from commonground.cases.categories import CATEGORY_SEED, ENTERPRISE, walk
from commonground.cases.models import Category, CategoryQuestion, Level, QuestionType, ReporterKind
from commonground.cases.services.categories import SeedResult, category_save, category_seed

SEEDED = len(list(walk()))


def test_category_seed__empty_database__the_whole_tree(db):
    result = category_seed()

    assert result == SeedResult(created=SEEDED, updated=0, unchanged=0)
    # with enterprise-registration, enterprise-property and enterprise-retention (business)
    assert Category.objects.count() == SEEDED == 31
    assert set(Category.objects.filter(parent__isnull=True).values_list("code", flat=True)) == {
        seed.code for seed in CATEGORY_SEED}
    rubbish = Category.objects.get(code="exposed-rubbish")
    assert (rubbish.parent.code, rubbish.name, rubbish.name_en, rubbish.kind, rubbish.sla_hours) == (
        "environment", "暴露垃圾", "Exposed rubbish", "component", Decimal("4.00"))
    hours = dict(Category.objects.values_list("code", "sla_hours"))
    assert (hours["street-cleaning"], hours["illegal-structure"], hours["enquiry"], hours["complaint"]) == (
        Decimal(2), Decimal(4), Decimal(24), Decimal(104))
    assert set(Category.objects.filter(is_dispute=True).values_list("code", flat=True)) == {
        "noise-dispute", "neighbour-dispute", "property-fee-dispute", "three-party-dispute"}
    assert set(Category.objects.filter(parent__code=ENTERPRISE).values_list("code", flat=True)) == {
        "enterprise-parking", "enterprise-talent", "enterprise-financing", "policy-enquiry", "enterprise-registration",
        "enterprise-property", "enterprise-retention"}
    assert Category.objects.get(code="early-warning").open_to == [ReporterKind.STAFF]
    assert Category.objects.get(code="illegal-structure").default_level == Level.COMMUNITY


def test_category_seed__questions_of_lift_and_parking(db):
    category_seed()

    lift = [(q.key, q.type, q.required) for q in Category.objects.get(code="lift-broken").questions.all()]
    parking = [(q.key, q.type, q.required) for q in Category.objects.get(code="enterprise-parking").questions.all()]
    assert lift == [("lift_number", QuestionType.TEXT, True), ("people_trapped", QuestionType.BOOLEAN, True)]
    assert parking == [("spaces_needed", QuestionType.NUMBER, True)]


def test_category_seed__run_twice__second_run_changes_nothing(db, nothing_written):
    category_seed()
    with nothing_written():

        result = category_seed()

        assert result == SeedResult(created=0, updated=0, unchanged=SEEDED)


def test_category_seed__after_admin_edits__seeded_fields_restored_additions_and_deactivation_kept(db):
    category_seed()
    Category.objects.filter(code="lift-broken").update(sla_hours=Decimal(30))
    CategoryQuestion.objects.filter(key="spaces_needed").update(label="车位")
    Category.objects.filter(code="complaint").update(is_active=False)
    extra = Category.objects.create(code="pets", name="宠物扰民", sla_hours=8)
    CategoryQuestion.objects.create(category=Category.objects.get(code="water-leak"), key="floor", label="楼层")

    result = category_seed()

    assert result == SeedResult(created=0, updated=2, unchanged=SEEDED - 2)
    assert Category.objects.get(code="lift-broken").sla_hours == Decimal(8)
    assert CategoryQuestion.objects.get(key="spaces_needed").label == "需要车位数"
    assert Category.objects.get(code="complaint").is_active is False
    assert Category.objects.filter(pk=extra.pk).exists()
    assert CategoryQuestion.objects.filter(key="floor").exists()


def test_seed_categories_command__prints_what_it_did(db):
    out = io.StringIO()

    with translation.override("en"):
        call_command("seed_categories", stdout=out)
        call_command("seed_categories", stdout=out)

    numbers = [[int(word) for word in line.replace(",", " ").split() if word.isdigit()]
               for line in out.getvalue().splitlines()]
    assert numbers == [[SEEDED, 0, 0], [0, 0, SEEDED]]


def test_category_save__under_its_own_subcategory__refused_nothing_changed(db):
    category_seed()
    environment = Category.objects.get(code="environment")
    environment.parent = Category.objects.get(code="exposed-rubbish")

    with pytest.raises(ValidationError):
        category_save(category=environment)

    assert Category.objects.get(code="environment").parent_id is None

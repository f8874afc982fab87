"""Writes to the category tree: the seed (idempotent) and the admin's saves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..categories import CATEGORY_SEED, CategorySeed, walk
from ..models import Category, CategoryQuestion


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _sync(instance: Any, values: dict[str, Any]) -> bool:
    """Set the fields that differ and save only those; True when anything changed."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.full_clean()
        instance.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def _seed_values(seed: CategorySeed, parent: Category | None) -> dict[str, Any]:
    return {
        "name": seed.name, "name_en": seed.name_en, "parent": parent, "kind": seed.kind,
        "default_level": seed.default_level, "sla_hours": seed.sla_hours, "is_dispute": seed.is_dispute,
        "handler_kind": seed.handler_kind, "open_to": list(seed.open_to), "keywords": seed.keywords,
    }


def _seed_questions(category: Category, seed: CategorySeed) -> bool:
    changed = False
    existing = {q.key: q for q in category.questions.all()}
    for order, question in enumerate(seed.questions):
        values = {"label": question.label, "type": question.type, "required": question.required,
                  "choices": list(question.choices), "order": order}
        if question.key in existing:
            changed |= _sync(existing[question.key], values)
        else:
            CategoryQuestion.objects.create(category=category, key=question.key, **values)
            changed = True
    return changed


@transaction.atomic
def category_seed(*, seeds: tuple[CategorySeed, ...] = CATEGORY_SEED) -> SeedResult:
    """Create or update the seed categories by code, with their questions. Running it again changes
    nothing; categories and questions added in the admin are left alone, and so is `is_active`."""
    result = SeedResult()
    by_code: dict[str, Category] = {}
    for parent_code, seed in walk(seeds):
        values = _seed_values(seed, by_code.get(parent_code) if parent_code else None)
        category = Category.objects.filter(code=seed.code).first()
        if category is None:
            category = Category(code=seed.code, **values)
            category.full_clean()
            category.save()
            _seed_questions(category, seed)
            result.created += 1
        elif _sync(category, values) | _seed_questions(category, seed):
            result.updated += 1
        else:
            result.unchanged += 1
        by_code[seed.code] = category
    return result


def validate_parent(category: Category, parent: Category | None) -> None:
    """A category cannot sit under itself or one of its own subcategories."""
    while parent is not None:
        if category.pk is not None and parent.pk == category.pk:
            raise ValidationError({"parent": _("A category cannot sit under itself or one of its subcategories.")})
        parent = parent.parent


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Save a category edited in the admin (validated; no cycles in the tree)."""
    validate_parent(category, category.parent)
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def category_question_save(*, question: CategoryQuestion) -> CategoryQuestion:
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def category_question_delete(*, question: CategoryQuestion) -> None:
    """Answers already given stay on their cases (they are stored with the case)."""
    question.delete()

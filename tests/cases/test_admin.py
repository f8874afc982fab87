from __future__ import annotations

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from commonground.cases.models import ApiClient, Case, Category, CategoryQuestion
from commonground.cases.services.intake import case_report
from commonground.cases.services.workflow import case_accept
from commonground.core.models import RoleKind


@pytest.fixture
def staff(tree, make_user):
    return {
        "worker": make_user(RoleKind.COMMUNITY_WORKER, tree.community, is_staff=True),
        "district": make_user(RoleKind.DISTRICT_ADMIN, tree.district, is_staff=True),
    }


@pytest.fixture
def cases(located, categories, people):
    """One case in the worker's community, one in the neighbouring community."""
    own = case_report(actor=people["resident"], category=categories["rubbish"], place=located.building,
                      description="楼道口垃圾三天没人清理")
    case_accept(case=own, actor=people["worker"])
    far = case_report(actor=people["neighbour_resident"], category=categories["rubbish"],
                      place=located.neighbour_estate, description="小区门口垃圾桶满溢")
    return {"own": own, "far": far}


def url(name: str, *args) -> str:
    return reverse(f"admin:cases_{name}", args=args)


def rows(response) -> list:
    return list(response.context["cl"].result_list)


def category_form(**overrides) -> dict:
    data = {"code": "pets", "name": "宠物扰民", "name_en": "Pets", "parent": "", "kind": "event",
            "default_level": "community", "sla_hours": "16", "handler_kind": "residents_committee",
            "open_to": '["resident"]', "description": "", "keywords": "", "is_active": "on",
            "questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "0", "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000", "questions-0-order": "0", "questions-0-key": "pet_kind",
            "questions-0-label": "宠物种类", "questions-0-type": "text", "questions-0-choices": "[]"}
    data.update(overrides)
    return data


# --- categories: master data of the top of the tree ----------------------------------------------------

def test_admin_index__community_worker__cases_but_no_categories_or_api_clients(client, staff, categories):
    client.force_login(staff["worker"])

    models = {m["object_name"] for app in client.get(reverse("admin:index")).context["app_list"] for m in app["models"]}

    assert "Case" in models
    assert not models & {"Category", "ApiClient", "CaseEvent"}


def test_admin_category__community_worker__cannot_list_add_or_change_nothing_changed(client, staff, categories):
    client.force_login(staff["worker"])
    lift = categories["lift"]
    before = (list(Category.objects.order_by("pk").values()), CategoryQuestion.objects.count())

    responses = [
        client.get(url("category_changelist")),
        client.get(url("category_add")),
        client.post(url("category_add"), category_form()),
        client.get(url("category_change", lift.pk)),
        client.post(url("category_change", lift.pk), category_form(code=lift.code, sla_hours="99")),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    assert (list(Category.objects.order_by("pk").values()), CategoryQuestion.objects.count()) == before


def test_admin_category__district_admin__adds_category_with_its_question(client, staff, categories):
    client.force_login(staff["district"])

    response = client.post(url("category_add"), category_form())

    assert response.status_code == 302
    pets = Category.objects.get(code="pets")
    assert (pets.name, pets.sla_hours, pets.open_to) == ("宠物扰民", Decimal("16.00"), ["resident"])
    assert [(q.key, q.label) for q in pets.questions.all()] == [("pet_kind", "宠物种类")]


def test_admin_category__district_admin__lists_them_and_shows_their_questions(client, staff, categories):
    client.force_login(staff["district"])

    listed = rows(client.get(url("category_changelist")))
    page = client.get(url("category_change", categories["lift"].pk))

    assert set(listed) == set(Category.objects.all())
    questions = page.context["inline_admin_formsets"][0].formset.queryset
    assert [q.key for q in questions] == ["lift_number", "people_trapped"]


def test_admin_category__district_admin__parent_under_itself_refused(client, staff, categories):
    client.force_login(staff["district"])
    rubbish = categories["rubbish"]
    environment = rubbish.parent

    response = client.post(url("category_change", environment.pk), category_form(
        code=environment.code, name=environment.name, parent=str(rubbish.pk), **{"questions-TOTAL_FORMS": "0"}))

    assert response.status_code == 200
    assert Category.objects.get(pk=environment.pk).parent_id is None


# --- cases: read-only, scoped ---------------------------------------------------------------------------

def test_admin_case_changelist__community_worker__own_community_only(client, staff, cases):
    client.force_login(staff["worker"])

    listed = rows(client.get(url("case_changelist")))
    searched = rows(client.get(url("case_changelist"), {"q": cases["far"].number}))

    assert listed == [cases["own"]]
    assert searched == []


def test_admin_case_changelist__district_admin__filters_by_stage(client, staff, cases):
    client.force_login(staff["district"])

    collected = rows(client.get(url("case_changelist"), {"stage__exact": "collect"}))
    accepted = rows(client.get(url("case_changelist"), {"stage__exact": "create"}))

    assert (collected, accepted) == ([cases["far"]], [cases["own"]])


def test_admin_case_change__other_community__not_shown(client, staff, cases):
    client.force_login(staff["worker"])

    response = client.get(url("case_change", cases["far"].pk))

    assert response.status_code == 302
    assert cases["far"].number not in client.get(response["Location"]).content.decode()


def test_admin_case_change__own_case__read_only_with_its_event_log(client, staff, cases):
    client.force_login(staff["worker"])
    case = cases["own"]
    before = (model_to_dict(Case.objects.get(pk=case.pk)), case.events.count())

    page = client.get(url("case_change", case.pk))
    post = client.post(url("case_change", case.pk), {"description": "改掉", "stage": "closed"})
    delete = client.post(url("case_delete", case.pk), {"post": "yes"})

    assert page.status_code == 200
    events = page.context["inline_admin_formsets"][0].formset.queryset
    assert [e.action for e in events] == ["reported", "accepted"]
    assert (post.status_code, delete.status_code) == (403, 403)
    assert (model_to_dict(Case.objects.get(pk=case.pk)), case.events.count()) == before


# --- API clients ----------------------------------------------------------------------------------------

def test_admin_api_client__community_worker_forbidden__district_admin_gets_a_fresh_key(client, staff, db):
    client.force_login(staff["worker"])
    forbidden = client.get(url("apiclient_add"))
    client.force_login(staff["district"])
    form = client.get(url("apiclient_add")).context["adminform"].form
    created = client.post(url("apiclient_add"), {"name": "12345", "api_key": form.initial["api_key"],
                                                 "is_active": "on"})

    assert forbidden.status_code == 403
    assert len(form.initial["api_key"]) >= 40
    assert created.status_code == 302
    assert ApiClient.objects.get().api_key == form.initial["api_key"]

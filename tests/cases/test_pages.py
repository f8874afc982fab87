"""Case pages: report, queue, map, case page and its actions, my cases, figures, notifications.

Every page is checked for who may and may not see it; a denied or refused action changes nothing."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from commonground.cases.models import (
    Case,
    CaseEvent,
    Channel,
    ExtensionRequest,
    ExtensionStatus,
    Level,
    Notification,
    NotificationPreference,
    Stage,
)
from commonground.cases.services.intake import case_report
from commonground.cases.services.tallies import tallies_rebuild
from commonground.cases.services.workflow import (
    allowed_actions,
    case_accept,
    case_dispatch,
    case_feedback,
    case_verify,
    extension_request,
)
from commonground.core import clock
from commonground.core.models import Organisation, OrganisationKind, RoleKind
from commonground.core.services.organisations import organisation_create
from tests.files import image_bytes

PNG = image_bytes("PNG")


def translated(message: str) -> str:
    """A message as the pages show it (in the default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def url(name: str, *args) -> str:
    return reverse(f"cases:{name}", args=args)


def reported(reporter, category, place, description: str = "楼道口垃圾三天没人清理", **kwargs) -> Case:
    return case_report(actor=reporter, category=category, place=place, description=description, **kwargs)


def dispatched(people, category, place) -> Case:
    case = reported(people["resident"], category, place)
    case_accept(case=case, actor=people["worker"])
    return case_dispatch(case=case, actor=people["worker"])


def far_case(located, categories, make_user) -> Case:
    """A case in the other street's community, reported by someone living there."""
    far_resident = make_user(RoleKind.RESIDENT, located.far_community)
    return reported(far_resident, categories["rubbish"], located.far_community)


def shown_actions(response) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', response.content.decode()))


def queue_numbers(response) -> list[str]:
    return [case.number for case in response.context["page"].object_list]


def queries_for(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


# --- report -----------------------------------------------------------------------------------

def test_report_page__anonymous__redirected_to_login(client, located):
    response = client.get(url("report"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_report_page__resident__only_categories_open_to_residents(client, located, categories, people):
    client.force_login(people["resident"])
    response = client.get(url("report"))
    assert response.status_code == 200
    offered = {item.code for _group, items in response.context["groups"] for item in items}
    assert offered == {"exposed-rubbish", "lift-broken", "noise-dispute"}
    assert response.context["staff"] is False
    assert 'name="contact_phone"' not in response.content.decode()


def test_report_page__grid_worker__sees_on_behalf_section(client, located, categories, people):
    client.force_login(people["grid"])
    response = client.get(url("report"))
    offered = {item.code for _group, items in response.context["groups"] for item in items}
    assert offered == {"exposed-rubbish", "lift-broken", "noise-dispute", "enterprise-parking"}
    assert 'name="contact_phone"' in response.content.decode()


def test_report_page__user_without_role__403(client, located, make_user):
    client.force_login(make_user())
    assert client.get(url("report")).status_code == 403


def test_report_questions__lift__typed_fields(client, located, categories, people):
    client.force_login(people["resident"])
    response = client.get(url("report-questions"), {"category": categories["lift"].pk})
    html = response.content.decode()
    assert 'name="answers.lift_number"' in html
    assert html.count('name="answers.people_trapped"') == 2  # yes / no radios


def test_report_questions__category_not_open__nothing(client, located, categories, people):
    client.force_login(people["resident"])
    response = client.get(url("report-questions"), {"category": categories["parking"].pk})
    assert "answers." not in response.content.decode()


def test_report_places__search__only_visible_places(client, located, categories, people):
    client.force_login(people["resident"])
    response = client.get(url("report-places"), {"place_q": "小区"})
    # the estate itself, and its buildings (found by their estate's name); never the neighbour's estate
    assert [p.code for p in response.context["places"]] == [located.estate.code, located.building.code]


def test_report__pin_and_photo__case_saved_and_shown(client, located, categories, people):
    client.force_login(people["resident"])
    photo = SimpleUploadedFile("rubbish.png", PNG, content_type="image/png")
    response = client.post(url("report"), {
        "category": categories["rubbish"].pk, "description": "小区门口垃圾堆了三天",
        "latitude": "30.280090", "longitude": "120.160090", "photos": [photo],
    })
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", case.number)
    assert (case.reporter, case.place, case.channel, case.stage) == (
        people["resident"], located.building, Channel.WEB, Stage.COLLECT)
    assert (case.latitude, case.longitude) == (Decimal("30.280090"), Decimal("120.160090"))
    page = client.get(url("detail", case.number))
    attachment = case.attachments.get()
    assert url("attachment", case.number, attachment.pk) in page.content.decode()
    served = client.get(url("attachment", case.number, attachment.pk))
    assert (served["Content-Type"], b"".join(served.streaming_content)) == ("image/png", attachment.file.read())


def test_report__errors__each_at_its_field_and_nothing_saved(client, located, categories, people):
    client.force_login(people["resident"])
    response = client.post(url("report"), {"category": categories["lift"].pk, "description": "坏",
                                           "answers.lift_number": ""})
    assert response.status_code == 400
    errors = response.context["errors"]
    assert set(errors) == {"description", "location", "answers.lift_number", "answers.people_trapped"}
    questions = {item["question"].key: item["errors"] for item in response.context["questions"]}
    assert all(questions.values())
    assert (Case.objects.count(), CaseEvent.objects.count()) == (0, 0)


def test_report__category_not_open_to_reporter__refused(client, located, categories, people):
    client.force_login(people["resident"])
    response = client.post(url("report"), {"category": categories["parking"].pk, "description": "停车位不够用",
                                           "place": located.estate.pk})
    assert response.status_code == 400
    assert "category" in response.context["errors"]
    assert Case.objects.count() == 0


def test_report__place_outside_scope__refused(client, located, categories, people):
    client.force_login(people["resident"])
    response = client.post(url("report"), {"category": categories["rubbish"].pk, "description": "垃圾没人清理",
                                           "place": located.neighbour_estate.pk})
    assert response.status_code == 400
    assert "location" in response.context["errors"]
    assert Case.objects.count() == 0


def test_report__staff_on_behalf_of_caller__phone_channel(client, located, categories, people):
    client.force_login(people["worker"])
    response = client.post(url("report"), {
        "category": categories["rubbish"].pk, "description": "来电反映垃圾没人清理", "place": located.estate.pk,
        "channel": Channel.PHONE, "contact_name": "王小明", "contact_phone": "13900000001",
    })
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.channel, case.reporter, case.recorded_by, case.contact_name, case.contact_phone) == (
        Channel.PHONE, None, people["worker"], "王小明", "13900000001")


def test_report__on_behalf_outside_own_area__recorded_not_shown(client, located, categories, people):
    client.force_login(people["grid"])
    response = client.post(url("report"), {
        "category": categories["rubbish"].pk, "description": "来电反映隔壁小区垃圾没人清理",
        "latitude": "30.290000", "longitude": "120.160000", "channel": Channel.PHONE, "contact_name": "王小明"})
    case = Case.objects.get()
    assert (case.place, case.reporter) == (located.neighbour_estate, None)
    assert response.status_code == 302 and response["Location"] == url("report")


def test_report__resident_cannot_file_on_behalf(client, located, categories, people):
    client.force_login(people["resident"])
    client.post(url("report"), {"category": categories["rubbish"].pk, "description": "垃圾没人清理",
                                "place": located.estate.pk, "channel": Channel.PHONE, "contact_name": "王小明"})
    case = Case.objects.get()
    assert (case.channel, case.reporter, case.contact_name) == (Channel.WEB, people["resident"], "")


def test_case_page__possible_duplicates__listed(client, located, categories, people):
    first = reported(people["resident"], categories["rubbish"], located.estate)
    second = reported(people["resident"], categories["rubbish"], located.estate)
    client.force_login(people["worker"])
    response = client.get(url("detail", second.number))
    assert response.context["duplicates"] == [(first.number, True)]
    assert url("detail", first.number) in response.content.decode()


# --- queue and map ----------------------------------------------------------------------------

def test_queue__community_worker__own_community_only(client, located, categories, people, make_user):
    mine = reported(people["resident"], categories["rubbish"], located.estate)
    neighbours = reported(people["neighbour_resident"], categories["rubbish"], located.neighbour_estate)
    far = far_case(located, categories, make_user)
    client.force_login(people["worker"])
    response = client.get(url("queue"))
    assert response.status_code == 200
    assert queue_numbers(response) == [mine.number]
    client.force_login(people["street"])
    assert queue_numbers(client.get(url("queue"))) == []  # nothing waits at the street's level
    everything = client.get(url("queue"), {"scope": "all"})
    assert set(queue_numbers(everything)) == {mine.number, neighbours.number}
    assert far.number not in everything.content.decode()


def test_queue__resident__sent_to_my_cases(client, located, categories, people):
    client.force_login(people["resident"])
    response = client.get(url("queue"))
    assert response.status_code == 302 and response["Location"] == url("mine")


def test_queue__no_role__403(client, located, make_user):
    client.force_login(make_user())
    assert client.get(url("queue")).status_code == 403


def test_queue__new_first_then_by_deadline__overdue_badge(client, located, categories, people):
    later = dispatched(people, categories["noise"], located.estate)  # 40 working hours
    sooner = dispatched(people, categories["rubbish"], located.estate)  # 4 working hours
    waiting = reported(people["resident"], categories["rubbish"], located.building)
    Case.objects.filter(pk=sooner.pk).update(is_overdue=True, deadline=clock.now() - datetime.timedelta(hours=1))
    tallies_rebuild()  # the update above went past the services that keep the counts
    client.force_login(people["worker"])
    response = client.get(url("queue"))
    assert queue_numbers(response) == [waiting.number, sooner.number, later.number]
    html = response.content.decode()
    assert html.count('class="badge overdue"') == 1


@pytest.mark.parametrize(("params", "expected"), [
    ({"stage": "collect"}, ["waiting"]),
    ({"stage": "dispatch"}, ["noise", "rubbish"]),
    ({"category": "noise-dispute"}, ["noise"]),
    ({"overdue": "on"}, ["rubbish"]),
    ({"place": "330105001002"}, ["waiting"]),
    ({"place": "330105002001"}, []),  # another street's community: not a filter the user may choose
    ({"stage": "closed"}, []),
])
def test_queue__filters(client, located, categories, people, params, expected):
    cases = {"noise": dispatched(people, categories["noise"], located.estate),
             "rubbish": dispatched(people, categories["rubbish"], located.estate),
             "waiting": reported(people["neighbour_resident"], categories["rubbish"], located.neighbour_estate)}
    Case.objects.filter(pk=cases["rubbish"].pk).update(is_overdue=True)
    tallies_rebuild()  # the update above went past the services that keep the counts
    client.force_login(people["street"])
    response = client.get(url("queue"), params)
    assert sorted(queue_numbers(response)) == sorted(cases[name].number for name in expected)


def test_queue__htmx__results_only(client, located, categories, people):
    reported(people["resident"], categories["rubbish"], located.estate)
    client.force_login(people["worker"])
    response = client.get(url("queue"), {"stage": "all"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-results")
    assert [t.name for t in response.templates][0] == "cases/_queue_results.html"


def test_queue__query_count__same_for_2_and_10_cases(client, located, categories, people):
    client.force_login(people["worker"])
    for _ in range(2):
        dispatched(people, categories["rubbish"], located.estate)
    small = queries_for(client, url("queue"))
    for _ in range(8):
        dispatched(people, categories["rubbish"], located.building)
    assert queries_for(client, url("queue")) == small


def test_map_data__open_cases_in_scope_only(client, located, categories, people, make_user):
    pinned = case_report(actor=people["resident"], category=categories["rubbish"], description="垃圾没人清理",
                         latitude=Decimal("30.280090"), longitude=Decimal("120.160090"))
    placed = reported(people["resident"], categories["lift"], located.estate,
                      answers={"lift_number": "1号梯", "people_trapped": "no"})
    reported(people["neighbour_resident"], categories["rubbish"], located.neighbour_estate)
    far_case(located, categories, make_user)
    client.force_login(people["worker"])
    response = client.get(url("map-data"))
    assert response["Content-Type"] == "application/geo+json"
    features = {f["properties"]["number"]: f for f in response.json()["features"]}
    assert set(features) == {pinned.number, placed.number}
    assert features[pinned.number]["geometry"] == {"type": "Point", "coordinates": [120.16009, 30.28009]}
    assert features[placed.number]["geometry"]["coordinates"] == [120.16, 30.28]  # the estate's centroid
    assert features[pinned.number]["properties"]["url"] == url("detail", pinned.number)
    assert client.get(url("map")).status_code == 200


def test_map__resident__403(client, located, people):
    client.force_login(people["resident"])
    assert client.get(url("map")).status_code == 403
    assert client.get(url("map-data")).status_code == 403


# --- case page --------------------------------------------------------------------------------

def test_case_page__stranger__404(client, located, categories, people, make_user):
    case = reported(people["resident"], categories["rubbish"], located.estate)
    for user in (people["neighbour_worker"], people["neighbour_resident"], make_user()):
        client.force_login(user)
        assert client.get(url("detail", case.number)).status_code == 404
        assert client.post(url("act", case.number, "accept")).status_code == 404


def test_case_page__reporter__sees_own_case_without_actions(client, located, categories, people):
    case = reported(people["resident"], categories["rubbish"], located.estate)
    client.force_login(people["resident"])
    response = client.get(url("detail", case.number))
    assert response.status_code == 200
    assert shown_actions(response) == set()
    assert response.context["contact"] is None


@pytest.mark.parametrize("who", ["worker", "grid", "street", "commissioner", "resident", "district"])
@pytest.mark.parametrize("stage", ["collect", "create", "dispatch", "feedback", "closed"])
def test_case_page__actions_shown__match_allowed_actions(client, located, categories, people, who, stage):
    case = reported(people["resident"], categories["rubbish"], located.building)
    steps = ["collect", "create", "dispatch", "feedback", "closed"]
    for step in steps[1:steps.index(stage) + 1]:
        if step == "create":
            case_accept(case=case, actor=people["worker"])
        elif step == "dispatch":
            case_dispatch(case=case, actor=people["worker"])
        elif step == "feedback":
            case_feedback(case=case, actor=people["grid"], note="已清运")
        elif step == "closed":
            case_verify(case=case, actor=people["checker"], approved=True)
    case.refresh_from_db()
    client.force_login(people[who])
    response = client.get(url("detail", case.number))
    if response.status_code == 404:
        assert allowed_actions(people[who], case) == []
        return
    assert shown_actions(response) == set(allowed_actions(people[who], case))


def test_case_page__dispute__mediation_forms_in_order(client, located, categories, people):
    case = dispatched(people, categories["noise"], located.estate)
    client.force_login(people["worker"])
    assert "mediation_open" in shown_actions(client.get(url("detail", case.number)))
    response = client.post(url("act", case.number, "mediation_open"), {"mediation_open-parties": "301室\n401室"})
    assert response.status_code == 302
    actions = shown_actions(client.get(url("detail", case.number)))
    assert {"mediation_session"} <= actions and "mediation_open" not in actions
    response = client.post(url("act", case.number, "mediation_session"), {
        "mediation_session-held_on": "2020-01-02", "mediation_session-venue": "社区调解室",
        "mediation_session-attendees": "双方", "mediation_session-summary": "约定晚十点后不再装修"})
    assert response.status_code == 302
    response = client.post(url("act", case.number, "mediation_conclude"), {
        "mediation_conclude-outcome": "agreement", "mediation_conclude-agreement_text": "晚十点后保持安静"})
    assert response.status_code == 302
    page = client.get(url("detail", case.number))
    assert page.context["mediation"].parties == ["301室", "401室"]
    assert "约定晚十点后不再装修" in page.content.decode()
    assert not {"mediation_open", "mediation_session", "mediation_conclude"} & shown_actions(page)


def test_action__not_allowed__403_and_nothing_changed(client, located, categories, people, nothing_written):
    case = reported(people["resident"], categories["rubbish"], located.estate)
    with nothing_written():
        client.force_login(people["grid"])  # may view, may not accept
        response = client.post(url("act", case.number, "accept"), {"accept-note": "属实"})
        assert response.status_code == 403
        client.force_login(people["resident"])
        assert client.post(url("act", case.number, "dispatch"), {"dispatch-level": "community"}).status_code == 403


def test_action__wrong_stage__403_and_nothing_changed(client, located, categories, people, nothing_written):
    case = reported(people["resident"], categories["rubbish"], located.estate)
    with nothing_written():
        client.force_login(people["worker"])
        response = client.post(url("act", case.number, "feedback"), {"feedback-note": "已清运"})
        assert response.status_code == 403


def test_action__unknown__404(client, located, categories, people):
    case = reported(people["resident"], categories["rubbish"], located.estate)
    client.force_login(people["worker"])
    assert client.post(url("act", case.number, "delete")).status_code == 404


def test_action__form_error__400_and_nothing_changed(client, located, categories, people, nothing_written):
    case = reported(people["resident"], categories["rubbish"], located.estate)
    with nothing_written():
        client.force_login(people["worker"])
        response = client.post(url("act", case.number, "reject"), {"reject-reason": ""})
        assert response.status_code == 400
        assert response.context["actions"][1].name == "reject" and response.context["actions"][1].form.errors


def test_action__service_refuses__400_message_and_nothing_changed(client, located, categories, people, nothing_written):
    case = dispatched(people, categories["rubbish"], located.estate)
    Case.objects.filter(pk=case.pk).update(level="district", handling_place=located.district, handling_path=located.district.path)
    tallies_rebuild()  # the update above went past the services that keep the counts
    with nothing_written():
        client.force_login(people["district"])
        response = client.post(url("act", case.number, "escalate"), {"escalate-reason": "区级也无法解决"})
        assert response.status_code == 400
        form = next(item.form for item in response.context["actions"] if item.name == "escalate")
        assert form.non_field_errors() == [translated("This case is already at the top of the ladder.")]
        assert next(item for item in response.context["actions"] if item.name == "escalate").errors


def test_action__dispute_without_mediation__report_done_not_offered_mediation_opened_first(
        client, located, categories, people, nothing_written):
    case = dispatched(people, categories["noise"], located.estate)  # a dispute: no mediation record yet
    client.force_login(people["grid"])
    actions = client.get(url("detail", case.number)).context["actions"]
    assert "feedback" not in {item.name for item in actions}
    assert [(item.name, item.primary) for item in actions][0] == ("mediation_open", True)
    assert [item.name for item in actions if item.primary] == ["mediation_open"]
    with nothing_written():
        assert client.post(url("act", case.number, "feedback"), {"feedback-note": "已调解"}).status_code == 403


def test_action__accept_then_dispatch_to_handler(client, located, categories, people):
    case = reported(people["resident"], categories["rubbish"], located.building)
    office = organisation_create(name="竹竿巷小区物业", kind=OrganisationKind.PROPERTY_COMPANY, place=located.estate)
    client.force_login(people["worker"])
    assert client.post(url("act", case.number, "accept"), {"accept-note": "属实"}).status_code == 302
    options = client.get(url("handler-options", case.number), {"dispatch-level": Level.ESTATE})
    assert [o.pk for o in options.context["organisations"]] == [office.pk]
    response = client.post(url("act", case.number, "dispatch"), {
        "dispatch-level": Level.ESTATE, "dispatch-handler": office.pk, "dispatch-note": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.level, case.handling_place, case.handler) == (
        Stage.DISPATCH, Level.ESTATE, located.estate, office)


def test_action__dispatch_handler_outside_handling_place__400(client, located, categories, people, nothing_written):
    case = reported(people["resident"], categories["rubbish"], located.building)
    case_accept(case=case, actor=people["worker"])
    elsewhere = organisation_create(name="龙游物业", kind=OrganisationKind.PROPERTY_COMPANY,
                                    place=located.neighbour_estate)
    client.force_login(people["street"])
    with nothing_written():
        response = client.post(url("act", case.number, "dispatch"), {
            "dispatch-level": Level.BUILDING, "dispatch-handler": elsewhere.pk})
        assert response.status_code == 400
    assert Organisation.objects.count() == 2


def test_action__verify_by_the_handler_who_reported_done__403(client, located, categories, people, nothing_written):
    case = dispatched(people, categories["rubbish"], located.estate)
    case_feedback(case=case, actor=people["worker"], note="已清运")
    with nothing_written():
        client.force_login(people["worker"])
        response = client.post(url("act", case.number, "verify"), {"verify-decision": "close"})
        assert response.status_code == 403  # the button is not offered, and the action is refused
        assert "verify" not in shown_actions(client.get(url("detail", case.number)))


def test_action__rate__by_reporter_only(client, located, categories, people):
    case = dispatched(people, categories["rubbish"], located.estate)
    case_feedback(case=case, actor=people["grid"], note="已清运")
    case_verify(case=case, actor=people["worker"], approved=True)
    client.force_login(people["worker"])
    assert client.post(url("act", case.number, "rate"), {"rate-rating": "5"}).status_code == 403
    client.force_login(people["resident"])
    assert "rate" in shown_actions(client.get(url("detail", case.number)))
    response = client.post(url("act", case.number, "rate"), {"rate-rating": "5", "rate-comment": "很快"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.rating) == (Stage.EVALUATED, 5)


def test_action__merge_into_main_case(client, located, categories, people):
    main = reported(people["resident"], categories["rubbish"], located.estate)
    repeat = reported(people["resident"], categories["rubbish"], located.estate)
    client.force_login(people["worker"])
    response = client.post(url("act", repeat.number, "merge"), {"merge-into": "SX-nope"})
    assert response.status_code == 400
    assert client.post(url("act", repeat.number, "merge"), {"merge-into": main.number}).status_code == 302
    repeat.refresh_from_db()
    assert (repeat.stage, repeat.merged_into) == (Stage.MERGED, main)
    assert client.get(url("detail", main.number)).context["merged"] == [(repeat.number, True)]


def test_extension__decided_one_level_up_only(client, located, categories, people):
    case = dispatched(people, categories["noise"], located.estate)
    request = extension_request(case=case, actor=people["grid"], hours=Decimal("8"), reason="双方本周出差")
    client.force_login(people["worker"])  # same level as the handling place: may not decide
    page = client.get(url("detail", case.number))
    assert page.context["may_decide"] is False and "extension" not in shown_actions(page)
    response = client.post(url("extension-decide", case.number, request.pk), {"decision": "approve"})
    assert response.status_code == 403
    assert ExtensionRequest.objects.get().status == ExtensionStatus.PENDING
    client.force_login(people["street"])
    assert "extension" in shown_actions(client.get(url("detail", case.number)))
    response = client.post(url("extension-decide", case.number, request.pk), {"decision": "approve"})
    assert response.status_code == 302
    assert ExtensionRequest.objects.get().status == ExtensionStatus.APPROVED
    assert Case.objects.get(pk=case.pk).deadline > case.deadline


def test_attachment__stranger__404(client, located, categories, people):
    photo = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    case = reported(people["resident"], categories["rubbish"], located.estate, attachments=[photo])
    client.force_login(people["neighbour_worker"])
    assert client.get(url("attachment", case.number, case.attachments.get().pk)).status_code == 404


# --- my cases ---------------------------------------------------------------------------------

def test_my_cases__own_only__rate_button_when_closed(client, located, categories, people):
    open_case = reported(people["resident"], categories["rubbish"], located.estate)
    closed = dispatched(people, categories["rubbish"], located.building)
    case_feedback(case=closed, actor=people["grid"], note="已清运")
    case_verify(case=closed, actor=people["worker"], approved=True)
    reported(people["neighbour_resident"], categories["rubbish"], located.neighbour_estate)
    client.force_login(people["resident"])
    response = client.get(url("mine"))
    cases = {case.number: case for case in response.context["page"].object_list}
    assert set(cases) == {open_case.number, closed.number}
    assert (cases[closed.number].may_rate, cases[open_case.number].may_rate) == (True, False)
    assert response.content.decode().count('class="rate-button"') == 1


# --- figures ----------------------------------------------------------------------------------

def test_dashboard__counts_for_scope_only(client, located, categories, people, make_user):
    closed = dispatched(people, categories["rubbish"], located.estate)
    case_feedback(case=closed, actor=people["grid"], note="已清运")
    case_verify(case=closed, actor=people["worker"], approved=True)
    dispatched(people, categories["rubbish"], located.estate)
    reported(people["resident"], categories["rubbish"], located.estate)
    reported(people["neighbour_resident"], categories["rubbish"], located.neighbour_estate)
    far_case(located, categories, make_user)
    client.force_login(people["worker"])
    counts = client.get(url("dashboard")).context["counts"]
    assert (counts["total"], counts["open"], counts["closed"]) == (3, 2, 1)
    assert counts["by_stage"][Stage.COLLECT] == 1 and counts["by_stage"][Stage.DISPATCH] == 1
    assert counts["closed_by_level"][Level.COMMUNITY] == 1
    client.force_login(people["street"])
    response = client.get(url("dashboard"))
    assert response.context["counts"]["total"] == 4
    assert [p.code for p in response.context["scopes"]] == [located.street.code, located.community.code,
                                                              located.neighbour.code]
    narrowed = client.get(url("dashboard"), {"scope": located.neighbour.code})
    assert narrowed.context["counts"]["total"] == 1
    assert client.get(url("dashboard"), {"scope": located.far_community.code}).context["counts"]["total"] == 4


def test_dashboard__resident__403(client, located, people):
    client.force_login(people["resident"])
    assert client.get(url("dashboard")).status_code == 403


def test_dashboard__query_count__same_for_2_and_10_cases(client, located, categories, people):
    client.force_login(people["street"])
    for _ in range(2):
        dispatched(people, categories["rubbish"], located.estate)
    small = queries_for(client, url("dashboard"))
    for _ in range(8):
        case = dispatched(people, categories["rubbish"], located.building)
        case_feedback(case=case, actor=people["grid"], note="已清运")
        case_verify(case=case, actor=people["worker"], approved=True)
    assert queries_for(client, url("dashboard")) == small


# --- notifications ----------------------------------------------------------------------------

def test_notifications__unread_first__bell_count(client, located, categories, people):
    first = dispatched(people, categories["rubbish"], located.estate)
    dispatched(people, categories["rubbish"], located.building)
    grid = people["grid"]
    older = Notification.objects.filter(user=grid, case=first).get()
    client.force_login(grid)
    client.post(url("notification-read", older.pk))
    Notification.objects.create(user=grid, case=first, kind="closed", message="另一条")
    response = client.get(url("notifications"))
    listed = list(response.context["page"].object_list)
    assert [n.read_at is None for n in listed] == [True, True, False]
    assert 'class="bell-count">2<' in response.content.decode()


def test_notifications__mark_read__own_only(client, located, categories, people):
    dispatched(people, categories["rubbish"], located.estate)
    theirs = Notification.objects.get(user=people["grid"])
    client.force_login(people["worker"])
    client.post(url("notification-read", theirs.pk))
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    client.force_login(people["grid"])
    response = client.post(url("notifications-read-all"))
    assert response.status_code == 302
    assert Notification.objects.filter(user=people["grid"], read_at__isnull=True).count() == 0


def test_notification_open__marked_read_and_sent_to_case(client, located, categories, people):
    case = dispatched(people, categories["rubbish"], located.estate)
    notification = Notification.objects.get(user=people["grid"])
    client.force_login(people["worker"])
    assert client.post(url("notification-open", notification.pk)).status_code == 404
    client.force_login(people["grid"])
    response = client.post(url("notification-open", notification.pk))
    assert response.status_code == 302 and response["Location"] == url("detail", case.number)
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_notifications__preference__saved(client, located, people):
    client.force_login(people["grid"])
    response = client.post(url("notification-preference"), {"digest": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=people["grid"])
    assert (preference.digest, preference.email) == (True, False)


def test_bell__one_query_whatever_the_number(client, located, categories, people):
    client.force_login(people["grid"])
    client.get(reverse("home"))  # warm the cached "today"
    small = queries_for(client, reverse("home"))
    for _ in range(3):
        dispatched(people, categories["rubbish"], located.estate)
    assert queries_for(client, reverse("home")) == small


def test_navigation__cases_link_by_permission(client, located, people, make_user):
    client.force_login(people["worker"])
    assert f'href="{url("queue")}"' in client.get(reverse("home")).content.decode()
    client.force_login(people["resident"])
    html = client.get(reverse("home")).content.decode()
    assert f'href="{url("mine")}"' in html and f'href="{url("report")}"' in html
    client.force_login(make_user())
    nav = client.get(reverse("home")).content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert "/cases/" not in nav

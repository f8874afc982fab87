from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from commonground.cases.models import (
    Case,
    CategoryQuestion,
    Channel,
    QuestionType,
    Stage,
)
from commonground.cases.services.intake import Contact, case_report, case_report_once
from tests.files import image_bytes


def report(reporter, category, **kwargs) -> Case:
    kwargs.setdefault("description", "垃圾堆在楼道口三天了")
    return case_report(actor=reporter, category=category, **kwargs)


def test_case_report__resident_with_place__collected_and_logged(located, categories, people):
    case = report(people["resident"], categories["rubbish"], place=located.estate)
    assert (case.stage, case.place, case.reporter, case.channel) == (
        Stage.COLLECT, located.estate, people["resident"], Channel.WEB)
    assert case.number.startswith("SX") and case.number.endswith(f"{case.pk:06d}")
    assert [(e.action, e.to_stage) for e in case.events.all()] == [("reported", Stage.COLLECT)]


def test_case_report__pin__attached_to_nearest_place(located, categories, people):
    case = report(people["resident"], categories["rubbish"], latitude=Decimal("30.280090"),
                  longitude=Decimal("120.160090"))
    assert case.place == located.building


def test_case_report__pin_outside_district__refused_nothing_saved(located, categories, people, nothing_written):
    with nothing_written():
        with pytest.raises(ValidationError) as error:
            report(people["resident"], categories["rubbish"], latitude=Decimal("31.230000"), longitude=Decimal("121.470000"))
        assert "location" in error.value.message_dict


@pytest.mark.parametrize("description", ["短", "x" * 2001, "    "])
def test_case_report__description_length__refused(located, categories, people, description, nothing_written):
    with nothing_written():
        with pytest.raises(ValidationError) as error:
            report(people["resident"], categories["rubbish"], place=located.estate, description=description)
        assert list(error.value.message_dict) == ["description"]


def test_case_report__category_not_open_to_residents__refused(located, categories, people):
    with pytest.raises(ValidationError) as error:
        report(people["resident"], categories["parking"], place=located.estate)
    assert "category" in error.value.message_dict
    assert Case.objects.count() == 0


def test_case_report__required_question_missing_or_wrong_type__refused(located, categories, people):
    with pytest.raises(ValidationError) as error:
        report(people["resident"], categories["lift"], place=located.building, answers={"people_trapped": "maybe"})
    assert set(error.value.message_dict) == {"answers.lift_number", "answers.people_trapped"}
    case = report(people["resident"], categories["lift"], place=located.building,
                  answers={"lift_number": "3号梯", "people_trapped": "是"})
    assert case.answers == {"lift_number": "3号梯", "people_trapped": True}


def test_case_report__attachment_wrong_type_or_too_big__refused(located, categories, people, settings,
                                                                  nothing_written):
    settings.CG_MAX_UPLOAD_BYTES = 1000
    jpeg = image_bytes("JPEG")
    for upload in (SimpleUploadedFile("a.exe", b"MZ", content_type="application/x-msdownload"),
                   SimpleUploadedFile("a.jpg", jpeg + b"x" * (1001 - len(jpeg)), content_type="image/jpeg")):
        with nothing_written(), pytest.raises(ValidationError) as error:
            report(people["resident"], categories["rubbish"], place=located.estate, attachments=[upload])
        assert list(error.value.message_dict) == ["attachments"]
    photo = SimpleUploadedFile("a.jpg", jpeg, content_type="image/jpeg")
    case = report(people["resident"], categories["rubbish"], place=located.estate, attachments=[photo])
    stored = case.attachments.get()
    assert (stored.content_type, stored.size) == ("image/jpeg", stored.file.size)


def test_case_report_once__same_key__one_case_then_replays(located, categories, people):
    def once(key: str, client: str = "user:1"):
        return case_report_once(client=client, key=key, actor=people["resident"], category=categories["rubbish"],
                                place=located.estate, description="楼道口垃圾三天没人清理")

    first, again, other, elsewhere = once("k-1"), once("k-1"), once("k-2"), once("k-1", client="user:2")
    assert (first.created, again.created, other.created, elsewhere.created) == (True, False, True, True)
    assert first.case.pk == again.case.pk != other.case.pk != elsewhere.case.pk
    assert Case.objects.count() == 3


def test_case_report__many_open_cases_nearby__event_keeps_the_nearest_five_and_the_count(located, categories,
                                                                                      people, settings):
    """A busy building's reports used to carry every open same-category case of the week (833 numbers)."""
    pin = {"latitude": Decimal("30.280100"), "longitude": Decimal("120.160100")}
    earlier = [report(people["resident"], categories["rubbish"], latitude=Decimal("30.280100") + Decimal(i) / 10**6,
                      longitude=Decimal("120.160100")) for i in range(8)]
    far = report(people["resident"], categories["rubbish"], latitude=Decimal("30.290100"), longitude=Decimal("120.160100"))

    case = report(people["resident"], categories["rubbish"], **pin)

    data = case.events.get(action="reported").data
    assert data["possible_duplicates"] == [c.number for c in earlier[:5]]  # the nearest first
    assert data["possible_duplicates_count"] == 8
    assert far.number not in data["possible_duplicates"]


def test_case_report__many_open_cases_at_the_place_without_pins__newest_five_and_the_count(located, categories,
                                                                                          people):
    earlier = [report(people["resident"], categories["rubbish"], place=located.building) for _ in range(7)]

    case = report(people["resident"], categories["rubbish"], place=located.building)

    data = case.events.get(action="reported").data
    assert data["possible_duplicates"] == [c.number for c in reversed(earlier[2:])]
    assert data["possible_duplicates_count"] == 7


def test_case_report__nearby_open_case_same_category__flagged_as_possible_duplicate(located, categories, people):
    first = report(people["resident"], categories["rubbish"], latitude=Decimal("30.280000"),
                   longitude=Decimal("120.160000"))
    near = report(people["grid"], categories["rubbish"], latitude=Decimal("30.280300"),
                  longitude=Decimal("120.160000"))  # about 33 m north
    far = report(people["grid"], categories["rubbish"], latitude=Decimal("30.281000"),
                 longitude=Decimal("120.160000"))  # about 111 m
    assert near.events.get().data["possible_duplicates"] == [first.number]
    assert far.events.get().data["possible_duplicates"] == []


def test_case_report__on_behalf_of_caller__needs_staff(located, categories, people):
    caller = Contact(name="王阿姨", phone="13912345678")
    case = report(people["worker"], categories["rubbish"], place=located.estate, channel=Channel.PHONE, contact=caller)
    assert (case.reporter, case.recorded_by, case.contact_name) == (None, people["worker"], "王阿姨")
    with pytest.raises(PermissionDenied):
        report(people["resident"], categories["rubbish"], place=located.estate, channel=Channel.PHONE, contact=caller)


def test_case_report__bad_contact_phone__refused(located, categories, people):
    with pytest.raises(ValidationError) as error:
        report(people["worker"], categories["rubbish"], place=located.estate, channel=Channel.PHONE,
               contact=Contact(name="王阿姨", phone="12345"))
    assert "contact_phone" in error.value.message_dict


def test_case_report__user_without_roles__refused(located, categories, make_user):
    with pytest.raises(PermissionDenied):
        report(make_user(), categories["rubbish"], place=located.estate)


def test_case_report__pin_inside_an_outline__that_place_wins_over_a_nearer_centroid(located, categories, people):
    from commonground.core.models import Place

    square = {"type": "Polygon", "coordinates": [[[120.1590, 30.2835], [120.1610, 30.2835], [120.1610, 30.2845],
                                                  [120.1590, 30.2845], [120.1590, 30.2835]]]}
    Place.objects.filter(pk=located.estate.pk).update(outline=square)  # an estate reaching north
    Place.objects.filter(pk=located.neighbour_estate.pk).update(latitude=Decimal("30.285000"))
    case = report(people["resident"], categories["rubbish"], latitude=Decimal("30.284000"),
                  longitude=Decimal("120.160000"))  # 111 m from the neighbour's centroid, 444 m from its own
    assert case.place == located.estate


# Bad input: each coordinate checked alone, nothing saved before every check is done; text cleaned at intake


@pytest.mark.parametrize(("latitude", "longitude"), [
    (None, Decimal("-1.4469813660243294e16")),  # the report: a lone coordinate past DecimalField(9, 6)
    (None, Decimal("120.160090")),  # a lone coordinate, in range
    (Decimal("30.280090"), None),
    (Decimal("91"), Decimal("120.160090")),
    (Decimal("30.280090"), Decimal("-1.4469813660243294e16")),
    (Decimal("NaN"), Decimal("120.160090")),
])
def test_case_report__pin_incomplete_or_out_of_range__refused_nothing_saved(located, categories, people, latitude,
                                                                            longitude, nothing_written):
    with nothing_written():
        with pytest.raises(ValidationError) as error:
            report(people["resident"], categories["rubbish"], place=located.building, latitude=latitude,
                   longitude=longitude)
        assert list(error.value.message_dict) == ["location"]


def test_case_report__pin_with_more_places__stored_to_six(located, categories, people):
    case = report(people["resident"], categories["rubbish"], latitude=Decimal("30.2800904"),
                  longitude=Decimal("120.1600906"))
    case.refresh_from_db()
    assert (case.latitude, case.longitude) == (Decimal("30.280090"), Decimal("120.160091"))


def test_case__lone_or_overflowing_pin_in_the_database__refused_by_its_constraint(located, categories, people):
    case = report(people["resident"], categories["rubbish"], place=located.building)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(longitude=Decimal("120.160090"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(latitude=Decimal("91"), longitude=Decimal("120"))
    case.refresh_from_db()
    assert (case.latitude, case.longitude) == (None, None)


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.STAFF])
def test_case_report__resident_names_a_staff_channel__refused_nothing_saved(located, categories, people, channel, nothing_written):
    with nothing_written():
        with pytest.raises(ValidationError) as error:
            report(people["resident"], categories["rubbish"], place=located.building, channel=channel)
        assert list(error.value.message_dict) == ["channel"]


def test_case_report__staff_on_the_phone__channel_kept(located, categories, people):
    case = report(people["worker"], categories["rubbish"], place=located.building, channel=Channel.PHONE)
    assert case.channel == Channel.PHONE


def test_case_report__control_characters__dropped_at_intake(located, categories, people, questions_free_text):
    case = report(people["worker"], questions_free_text, place=located.building, channel=Channel.PHONE,
                  description="楼道\x00口垃圾\x0b三天\ud800没人\uffff清理\n第二行", address="一号楼\n二单元\x1b",
                  contact=Contact(name="王\x07五\n", phone="13900000009"), answers={"note": "备注\x00一\n二"})
    case.refresh_from_db()
    assert (case.description, case.address, case.contact_name, case.answers) == (
        "楼道口垃圾三天没人清理\n第二行", "一号楼 二单元", "王五", {"note": "备注一\n二"})


@pytest.fixture
def questions_free_text(categories):
    category = categories["rubbish"]
    CategoryQuestion.objects.create(category=category, key="note", label="补充说明", type=QuestionType.TEXT)
    return category

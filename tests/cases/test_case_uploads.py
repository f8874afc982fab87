"""Case files through the one upload path: report photos, a handler's progress photos and the signed mediation
agreement are typed from their content (HTML dressed as a photo is refused, nothing written), photos lose their
EXIF, and the files go out with the stored type, nosniff and a sandbox; a report carries at most 9 files and 9
media links."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from PIL import Image

from commonground.cases.models import Case, CaseAttachment, CaseEvent, Mediation, MediationOutcome, Stage
from commonground.cases.services.intake import case_report
from commonground.cases.services.mediation import mediation_conclude, mediation_open, mediation_session_add
from commonground.cases.services.workflow import case_accept, case_dispatch, case_note
from tests.files import HTML, PDF, html_as_png, image_bytes, pdf, photo_with_gps, png, upload

SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def url(name: str, *args) -> str:
    return reverse(f"cases:{name}", args=args)


def written() -> tuple[int, int, int]:
    return Case.objects.count(), CaseEvent.objects.count(), CaseAttachment.objects.count()


def reported(people, category, place, **kwargs) -> Case:
    return case_report(actor=people["resident"], category=category, place=place,
                       description="楼道口垃圾三天没人清理", **kwargs)


def dispatched(people, category, place) -> Case:
    case = reported(people, category, place)
    case_accept(case=case, actor=people["worker"])
    return case_dispatch(case=case, actor=people["worker"])


def in_mediation(people, categories, located) -> Case:
    """A dispute with its mediation opened and one session held: ready for the outcome."""
    case = dispatched(people, categories["noise"], located.estate)
    mediation_open(case=case, actor=people["worker"], parties=["301室 张某", "401室 李某"])
    mediation_session_add(case=case, actor=people["worker"], held_on=datetime.date(2024, 5, 1), venue="说事亭",
                          attendees="张某、李某", summary="双方同意调解")
    return case


def conclude(case: Case, actor, agreement) -> Mediation:
    return mediation_conclude(case=case, actor=actor, outcome=MediationOutcome.AGREEMENT,
                              agreement_text="晚十点后不装修", signed_agreement=agreement)


def as_user(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def headers(response) -> tuple[str, str, str]:
    return response["Content-Type"], response["Content-Disposition"], response["X-Content-Type-Options"]


# --- HTML declared as a photo, on every path --------------------------------------------------------------------

def test_case_report__html_declared_png__refused_nothing_written(located, categories, people):
    with pytest.raises(ValidationError) as refused:
        reported(people, categories["rubbish"], located.estate, attachments=[png(), html_as_png("photo.html")])
    assert list(refused.value.message_dict) == ["attachments"]
    assert written() == (0, 0, 0)


def test_report_page__html_declared_png__400_at_the_photos_nothing_written(client, located, categories, people):
    client.force_login(people["resident"])
    response = client.post(url("report"), {
        "category": categories["rubbish"].pk, "description": "小区门口垃圾堆了三天", "latitude": "30.280090",
        "longitude": "120.160090", "photos": [html_as_png("rubbish.html")]})
    assert (response.status_code, list(response.context["errors"])) == (400, ["attachments"])
    assert written() == (0, 0, 0)


def test_case_note__html_declared_png__refused_nothing_written(located, categories, people):
    case = dispatched(people, categories["rubbish"], located.estate)
    before = model_to_dict(Case.objects.get(pk=case.pk)), written()
    with pytest.raises(ValidationError) as refused:
        case_note(case=case, actor=people["worker"], note="已派保洁", attachments=[html_as_png()])
    assert list(refused.value.message_dict) == ["attachments"]
    assert (model_to_dict(Case.objects.get(pk=case.pk)), written()) == before
    assert case.stage == Stage.DISPATCH


def test_mediation_conclude__html_declared_png__refused_nothing_written(located, categories, people):
    case = in_mediation(people, categories, located)
    before = model_to_dict(Mediation.objects.get(case=case)), written()
    with pytest.raises(ValidationError) as refused:
        conclude(case, people["worker"], html_as_png("agreement.html"))
    assert list(refused.value.message_dict) == ["signed_agreement"]
    assert (model_to_dict(Mediation.objects.get(case=case)), written()) == before


def test_mediation_conclude_page__html_declared_png__400_at_the_field(client, located, categories, people):
    case = in_mediation(people, categories, located)
    client.force_login(people["worker"])
    response = client.post(url("act", case.number, "mediation_conclude"), {
        "mediation_conclude-outcome": "agreement", "mediation_conclude-agreement_text": "晚十点后保持安静",
        "mediation_conclude-signed_agreement": html_as_png("agreement.html")})
    assert response.status_code == 400
    form = next(a.form for a in response.context["actions"] if a.name == "mediation_conclude")
    assert list(form.errors) == ["signed_agreement"]
    assert Mediation.objects.get(case=case).outcome == MediationOutcome.PENDING


# --- what is stored --------------------------------------------------------------------------------------------

def test_case_report__photo_with_gps__stored_reencoded_without_exif(located, categories, people):
    case = reported(people, categories["rubbish"], located.estate,
                    attachments=[upload(photo_with_gps("JPEG"), name="IMG_0001.jpg", content_type="image/png")])
    stored = case.attachments.get()
    content = stored.file.read()
    image = Image.open(io.BytesIO(content))
    assert (stored.content_type, stored.size, image.format, dict(image.getexif())) == (
        "image/jpeg", len(content), "JPEG", {})
    assert stored.file.name.startswith("cases/") and stored.file.name.endswith(".jpg")
    assert "IMG_0001" not in stored.file.name


def test_case_note__photo__stored_with_its_type(located, categories, people):
    case = dispatched(people, categories["rubbish"], located.estate)
    case_note(case=case, actor=people["worker"], note="已派保洁", attachments=[png()])
    assert list(case.attachments.values_list("content_type", "event__action")) == [("image/png", "note")]


def test_mediation_conclude__pdf__stored_with_its_type(located, categories, people):
    case = in_mediation(people, categories, located)
    mediation = conclude(case, people["worker"], pdf())
    mediation.refresh_from_db()
    assert (mediation.signed_agreement_type, mediation.signed_agreement.read()) == ("application/pdf", PDF)
    assert mediation.signed_agreement.name.startswith("mediation/") and mediation.signed_agreement.name.endswith(".pdf")


# --- serving ----------------------------------------------------------------------------------------------------

def test_attachment__photo__stored_type_inline_nosniff_sandbox(located, categories, people):
    case = reported(people, categories["rubbish"], located.estate, attachments=[png()])
    item = case.attachments.get()
    response = as_user(people["worker"]).get(url("attachment", case.number, item.pk))
    assert headers(response) == ("image/png", f'inline; filename="{case.number}-{item.pk}.png"', "nosniff")
    assert response["Content-Security-Policy"] == SANDBOX


def test_attachment__stored_before_typing_from_content__html_as_octet_stream_attachment(
        located, categories, people):
    case = reported(people, categories["rubbish"], located.estate)
    item = CaseAttachment.objects.create(case=case, file=ContentFile(HTML, name="photo.png"),
                                         content_type="image/png", size=len(HTML))  # as the browser declared it
    response = as_user(people["worker"]).get(url("attachment", case.number, item.pk))
    assert headers(response) == ("application/octet-stream",
                                 f'attachment; filename="{case.number}-{item.pk}.bin"', "nosniff")
    assert response["Content-Security-Policy"] == SANDBOX


def test_attachment__file_missing_from_storage__404(located, categories, people):
    case = reported(people, categories["rubbish"], located.estate, attachments=[png()])
    item = case.attachments.get()
    item.file.storage.delete(item.file.name)
    assert as_user(people["worker"]).get(url("attachment", case.number, item.pk)).status_code == 404


def test_signed_agreement__pdf__stored_type_inline_nosniff(located, categories, people):
    case = in_mediation(people, categories, located)
    conclude(case, people["worker"], pdf())
    response = as_user(people["street"]).get(url("signed-agreement", case.number))
    assert headers(response) == ("application/pdf", f'inline; filename="{case.number}-agreement.pdf"', "nosniff")
    assert b"".join(response.streaming_content) == PDF


def test_signed_agreement__image__stored_type_inline_sandbox(located, categories, people):
    case = in_mediation(people, categories, located)
    conclude(case, people["worker"], upload(image_bytes("WEBP"), name="agreement.webp", content_type="image/webp"))
    response = as_user(people["street"]).get(url("signed-agreement", case.number))
    assert headers(response) == ("image/webp", f'inline; filename="{case.number}-agreement.webp"', "nosniff")
    assert response["Content-Security-Policy"] == SANDBOX


def test_signed_agreement__stored_before_typing_from_content__html_as_octet_stream_attachment(
        located, categories, people):
    case = in_mediation(people, categories, located)
    mediation = conclude(case, people["worker"], None)
    mediation.signed_agreement.save("agreement.html", ContentFile(HTML))  # as stored before: no type
    response = as_user(people["street"]).get(url("signed-agreement", case.number))
    assert headers(response) == ("application/octet-stream",
                                 f'attachment; filename="{case.number}-agreement.bin"', "nosniff")
    assert response["Content-Security-Policy"] == SANDBOX


def test_case_api__uploaded_photo__linked_to_the_served_file_not_media_root(located, categories, people):
    case = reported(people, categories["rubbish"], located.estate, attachments=[png()],
                    media_urls=["https://img.example.org/1.jpg"])
    item = case.attachments.get(url="")
    response = as_user(people["worker"]).get(f"/api/cases/{case.number}")
    assert response.json()["media"] == [url("attachment", case.number, item.pk), "https://img.example.org/1.jpg"]


# --- caps -------------------------------------------------------------------------------------------------------

def test_case_report__ten_files__refused_nothing_written(located, categories, people):
    with pytest.raises(ValidationError) as refused:
        reported(people, categories["rubbish"], located.estate, attachments=[png() for _ in range(10)])
    assert list(refused.value.message_dict) == ["attachments"]
    assert written() == (0, 0, 0)
    case = reported(people, categories["rubbish"], located.estate, attachments=[png() for _ in range(9)])
    assert case.attachments.count() == 9


def test_case_report__ten_media_urls__refused_nothing_written(located, categories, people):
    links = [f"https://img.example.org/{n}.jpg" for n in range(10)]
    with pytest.raises(ValidationError) as refused:
        reported(people, categories["rubbish"], located.estate, media_urls=links)
    assert list(refused.value.message_dict) == ["media_urls"]
    assert written() == (0, 0, 0)
    assert reported(people, categories["rubbish"], located.estate, media_urls=links[:9]).attachments.count() == 9


def test_case_api__ten_media_urls__400_at_media_urls_nothing_written(located, categories, people):
    response = as_user(people["resident"]).post("/api/cases", {
        "category": "exposed-rubbish", "description": "小区门口垃圾堆积", "place": located.building.code,
        "media_urls": [f"https://img.example.org/{n}.jpg" for n in range(10)]}, content_type="application/json")
    assert (response.status_code, list(response.json()["detail"])) == (400, ["media_urls"])
    assert written() == (0, 0, 0)


def test_case_note__ten_photos__refused_nothing_written(located, categories, people):
    case = dispatched(people, categories["rubbish"], located.estate)
    before = written()
    with pytest.raises(ValidationError) as refused:
        case_note(case=case, actor=people["worker"], note="已派保洁", attachments=[png() for _ in range(10)])
    assert list(refused.value.message_dict) == ["attachments"]
    assert written() == before


def test_case_report__caps_from_settings__applied(located, categories, people, settings):
    settings.CG_CASE_MAX_FILES, settings.CG_CASE_MAX_MEDIA_URLS = 1, 1
    with pytest.raises(ValidationError) as refused:
        reported(people, categories["rubbish"], located.estate, attachments=[png(), png()],
                 media_urls=["https://a.example.org/1.jpg", "https://a.example.org/2.jpg"])
    assert sorted(refused.value.message_dict) == ["attachments", "media_urls"]

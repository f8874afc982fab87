"""The PDFs embed their Chinese font (a TrueType subset), so they print the same on every machine, and their
text can be extracted; without a usable font they fail saying what to install."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from commonground.core.clock import today
from commonground.deliberation import pdf
from commonground.deliberation.models import NoticeKind
from commonground.deliberation.services.notices import notice_publish

NOTO_CFF = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def fonts(document: bytes) -> list[dict]:
    """Every font the pages use, resolved: its dictionary and its descriptor (of the descendant for a Type0)."""
    found = []
    for page in PdfReader(BytesIO(document)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            found.append({"name": str(font["/BaseFont"]),
                          "descriptor": descriptor.get_object() if descriptor is not None else {}})
    return found


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(document)).pages)


@pytest.fixture
def notice(clerk, tree):
    return notice_publish(actor=clerk, place=tree.estate, kind=NoticeKind.OTHER, title="关于加装电梯的公示",
                          body="经业主表决，1幢加装电梯。\n\n公示期内如有异议，请向社区反映。",
                          table=[["楼幢", "意见"], ["1幢", "同意"]], posted_on=today(), issuer="竹竿巷社区居民委员会")


def test_render_pdf__every_font_embedded_truetype_no_stsong():
    document = pdf.render_pdf(title="公示", paragraphs=["正文：浙工新村"], table=[["回执码", "表决意见"], ["A1", "同意"]],
                              issuer="浙工新村业主委员会", dated="2023年3月8日", seal=True, link="https://x.cn/g/1/")
    used = fonts(document)
    assert used, "no font in the document"
    for font in used:
        assert "/FontFile2" in font["descriptor"], f"{font['name']} is not embedded"
        assert "STSong" not in font["name"] and "Helvetica" not in font["name"]


def test_notice_pdf__text_extracts_title_body_issuer_date(client, owner_user, notice):
    client.force_login(owner_user)
    response = client.get(reverse("deliberation:notice-pdf", args=[notice.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    for part in ("关于加装电梯的公示", "1幢加装电梯", "竹竿巷社区居民委员会", f"{today().year}年", "同意"):
        assert part in text, part


def test_public_notice_pdf__visitor__embedded_with_its_address(clerk, tree):
    notice = notice_publish(actor=clerk, place=tree.estate, kind=NoticeKind.RESULT, title="表决结果公示",
                            body="通过", posted_on=today())
    response = Client().get(reverse("gongshi:notice-pdf", args=[tree.estate.code, notice.pk]))
    assert response.status_code == 200
    assert all("/FontFile2" in font["descriptor"] for font in fonts(response.content))
    assert f"/gongshi/{tree.estate.code}/{notice.pk}/" in text_of(response.content)


def test_meeting_pdf__embedded(client, plan_meeting, meeting_world):
    meeting = plan_meeting()
    client.force_login(meeting_world.worker)
    document = client.get(reverse("deliberation:meeting-pdf", args=[meeting.pk])).content
    assert all("/FontFile2" in font["descriptor"] for font in fonts(document))
    assert "停车位划线方案" in text_of(document)


def test_font__missing__clear_error(settings, tmp_path):
    settings.CG_PDF_FONT = str(tmp_path / "none.ttf")
    with pytest.raises(ImproperlyConfigured, match="fonts-wqy-microhei"):
        pdf.render_pdf(title="公示", paragraphs=["正文"])


@pytest.mark.skipif(not NOTO_CFF.exists(), reason="Noto CJK (CFF outlines) is not installed")
def test_font__cff_outlines__refused_with_what_to_use(settings):
    settings.CG_PDF_FONT = str(NOTO_CFF)
    with pytest.raises(ImproperlyConfigured, match="TrueType outlines"):
        pdf.render_pdf(title="公示", paragraphs=["正文"])

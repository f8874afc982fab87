"""Paper-ballot scans and proxy authorisations through the one upload path: typed from their content (HTML
dressed as a scan is refused, nothing stored), photos stored without EXIF, and served with the stored type,
nosniff and a sandbox; a file stored before types were kept goes out as bytes to download."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from commonground.deliberation.models import Ballot, BallotVersion, Elector, Vote
from commonground.deliberation.services.ballots import ballot_enter
from tests.files import HTML, PDF, html_as_png, pdf, photo_with_gps, png, upload

SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def url(name: str, *args) -> str:
    return reverse(f"deliberation:{name}", args=args)


def elector_of(vote: Vote, person) -> Elector:
    return Elector.objects.get(vote=vote, memberships__person=person)


def stored() -> tuple[int, int]:
    return Ballot.objects.count(), BallotVersion.objects.count()


def headers(response) -> tuple[str, str, str]:
    return response["Content-Type"], response["Content-Disposition"], response["X-Content-Type-Options"]


@pytest.mark.parametrize("channel", ["paper", "proxy"])
def test_ballot_enter_page__html_declared_png__400_at_the_field_nothing_stored(client, clerk, open_vote, register,
                                                                                channel):
    vote = open_vote()
    field = "scan" if channel == "paper" else "authorisation"
    client.force_login(clerk)
    response = client.post(url("ballot-enter", vote.pk), {
        "ballot-elector": elector_of(vote, register.owners[3]).pk, "ballot-channel": channel,
        "ballot-choice": "agree", "ballot-proxy_name": "钱小五" if channel == "proxy" else "",
        f"ballot-{field}": html_as_png("ballot.html")})
    assert (response.status_code, list(response.context["ballot_form"].errors)) == (400, [field])
    assert stored() == (0, 0)


def test_ballot_enter__scan_photo_with_gps__stored_without_exif(open_vote, clerk, register):
    vote = open_vote()
    ballot = ballot_enter(vote=vote, actor=clerk, elector=elector_of(vote, register.owners[3]), choice="agree",
                          scan=upload(photo_with_gps("JPEG"), name="IMG_0001.jpg", content_type="image/jpeg"))
    ballot.refresh_from_db()
    image = Image.open(io.BytesIO(ballot.scan.read()))
    assert (ballot.scan_type, image.format, dict(image.getexif())) == ("image/jpeg", "JPEG", {})
    assert "IMG_0001" not in ballot.scan.name


def test_ballot_file__scan__stored_type_inline_nosniff_sandbox(client, clerk, open_vote, register):
    vote = open_vote()
    ballot = ballot_enter(vote=vote, actor=clerk, elector=elector_of(vote, register.owners[3]), choice="agree",
                          scan=png("scan.png"))
    client.force_login(clerk)
    response = client.get(url("ballot-file", vote.pk, ballot.pk, "scan"))
    assert headers(response) == (
        "image/png", f'inline; filename="vote-{vote.pk}-ballot-{ballot.pk}-scan.png"', "nosniff")
    assert response["Content-Security-Policy"] == SANDBOX


def test_ballot_file__pdf_authorisation__stored_type_inline_nosniff(client, clerk, open_vote, register):
    vote = open_vote()
    ballot = ballot_enter(vote=vote, actor=clerk, elector=elector_of(vote, register.owners[3]), choice="agree",
                          proxy_name="钱小五", authorisation=pdf("委托书.pdf"))
    client.force_login(clerk)
    response = client.get(url("ballot-file", vote.pk, ballot.pk, "authorisation"))
    assert headers(response) == (
        "application/pdf", f'inline; filename="vote-{vote.pk}-ballot-{ballot.pk}-authorisation.pdf"', "nosniff")
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("kind", ["scan", "authorisation"])
def test_ballot_file__stored_before_typing_from_content__html_as_octet_stream_attachment(
        client, clerk, open_vote, register, kind):
    vote = open_vote()
    ballot = ballot_enter(vote=vote, actor=clerk, elector=elector_of(vote, register.owners[3]), choice="agree",
                          proxy_name="钱小五", authorisation=png(), scan=png())
    field = "scan" if kind == "scan" else "proxy_authorisation"
    getattr(ballot, field).save("ballot.html", ContentFile(HTML), save=False)  # as stored before: no type
    setattr(ballot, f"{field}_type", "")
    ballot.save()
    client.force_login(clerk)
    response = client.get(url("ballot-file", vote.pk, ballot.pk, kind))
    assert headers(response) == (
        "application/octet-stream", f'attachment; filename="vote-{vote.pk}-ballot-{ballot.pk}-{kind}.bin"',
        "nosniff")
    assert response["Content-Security-Policy"] == SANDBOX

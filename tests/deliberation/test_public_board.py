"""The public board (公示栏) at /gongshi/: what is marked public is readable without logging in at a stable
address per place, with its QR code and PDF; nothing else is, for a visitor or for a resident elsewhere."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
import segno
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.core.clock import today
from commonground.core.models import Place, RoleKind
from commonground.deliberation.models import Notice, NoticeKind
from commonground.deliberation.services.meetings import meeting_publish_notice
from commonground.deliberation.services.notices import notice_publish


@pytest.fixture
def visitor() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def post(clerk, place, *, public: bool | None, title: str = "公示", **extra) -> Notice:
    return notice_publish(actor=clerk, place=place, kind=extra.pop("kind", NoticeKind.OTHER), title=title,
                          body="第一段\n\n第二段", posted_on=extra.pop("posted_on", today()), public=public, **extra)


def board_url(place: Place) -> str:
    return reverse("gongshi:board", args=[place.code])


def notice_url(notice: Notice, name: str = "gongshi:notice") -> str:
    return reverse(name, args=[notice.place.code, notice.pk])


# --- what the board shows ---------------------------------------------------------------------------------

def test_board__visitor__public_notices_only(visitor, clerk, tree):
    shown = post(clerk, tree.estate, public=True, title="停车位公示")
    hidden = post(clerk, tree.estate, public=False, title="仅限居民的通知")
    tomorrow = post(clerk, tree.estate, public=True, title="明天才贴", posted_on=today() + datetime.timedelta(days=1))
    response = visitor.get(board_url(tree.estate))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-notice="{shown.pk}"' in html and "停车位公示" in html
    assert f'data-notice="{hidden.pk}"' not in html and "仅限居民的通知" not in html
    assert f'data-notice="{tomorrow.pk}"' not in html


def test_notice__visitor__public_one_readable_with_issuer_and_qr(visitor, clerk, tree):
    notice = post(clerk, tree.estate, public=True, title="停车位公示", issuer="竹竿巷社区居民委员会")
    response = visitor.get(notice_url(notice))
    html = response.content.decode()
    assert response.status_code == 200
    assert "停车位公示" in html and "第二段" in html and "竹竿巷社区居民委员会" in html
    assert reverse("gongshi:notice-qr", args=[tree.estate.code, notice.pk, "svg"]) in html
    assert f"http://testserver{notice_url(notice)}" in html  # the address printed under the QR code


@pytest.mark.parametrize("case", ["not public", "not yet posted", "another board", "no such notice"])
def test_notice__visitor__anything_not_public_here__404(visitor, clerk, tree, case):
    public = post(clerk, tree.estate, public=True)
    notices = {
        "not public": post(clerk, tree.estate, public=False),
        "not yet posted": post(clerk, tree.estate, public=True, posted_on=today() + datetime.timedelta(days=2)),
    }
    code, pk = tree.estate.code, public.pk + 1000
    if case == "another board":
        code, pk = tree.community.code, public.pk
    elif case in notices:
        pk = notices[case].pk
    for name in ("gongshi:notice", "gongshi:notice-pdf"):
        assert visitor.get(reverse(name, args=[code, pk])).status_code == 404, name
    assert visitor.get(reverse("gongshi:notice-qr", args=[code, pk, "svg"])).status_code == 404


def test_board__flat_or_unknown_code__404(visitor, tree):
    assert visitor.get(board_url(tree.flat)).status_code == 404
    assert visitor.get(reverse("gongshi:board", args=["nowhere"])).status_code == 404
    assert visitor.get(reverse("gongshi:board-qr", args=[tree.flat.code, "svg"])).status_code == 404


def test_boards__visitor__only_boards_with_public_notices(visitor, clerk, tree):
    post(clerk, tree.estate, public=True)
    post(clerk, tree.community, public=False)
    html = visitor.get(reverse("gongshi:boards")).content.decode()
    assert f'data-board="{tree.estate.code}"' in html
    assert f'data-board="{tree.community.code}"' not in html


def test_board__query_count_same_for_one_and_many(visitor, clerk, tree, django_assert_max_num_queries):
    post(clerk, tree.estate, public=True)
    visitor.get(board_url(tree.estate))
    first = count_queries(lambda: visitor.get(board_url(tree.estate)))
    for n in range(6):
        post(clerk, tree.estate, public=True, title=f"公示{n}")
        post(clerk, tree.building, public=True, title=f"楼幢公示{n}")
    with django_assert_max_num_queries(first):
        visitor.get(board_url(tree.estate))


# --- personal data --------------------------------------------------------------------------------------------

def test_result_notice__public_page__receipt_codes_no_voter_names(visitor, closed_decision, register):
    notice = closed_decision.notices.get(kind=NoticeKind.RESULT)
    assert notice.public
    html = visitor.get(notice_url(notice)).content.decode()
    assert closed_decision.result["record"]["ballots"][0]["receipt"] in html
    for owner in register.owners:
        assert owner.name not in html
    assert reverse("deliberation:vote", args=[closed_decision.pk]) not in html


# --- links from the staff side --------------------------------------------------------------------------------

def test_staff_notice_url__visitor__public_redirects_to_public_page_other_to_login(visitor, clerk, tree):
    public = post(clerk, tree.estate, public=True)
    private = post(clerk, tree.estate, public=False)
    response = visitor.get(reverse("deliberation:notice", args=[public.pk]))
    assert response.status_code == 302 and response["Location"] == notice_url(public)
    response = visitor.get(reverse("deliberation:notice-pdf", args=[public.pk]))
    assert response["Location"] == notice_url(public, "gongshi:notice-pdf")
    for pk in (private.pk, private.pk + 1000):  # a private notice and none at all answer alike
        response = visitor.get(reverse("deliberation:notice", args=[pk]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")


def test_staff_notice_url__resident_elsewhere__private_404_public_to_public_page(make_user, clerk, tree):
    far = login(make_user(RoleKind.RESIDENT, tree.neighbour_estate))
    private = post(clerk, tree.estate, public=False, title="本小区通知")
    public = post(clerk, tree.estate, public=True)
    response = far.get(reverse("deliberation:notice", args=[private.pk]))
    assert response.status_code == 404 and "本小区通知" not in response.content.decode()
    assert far.get(reverse("deliberation:notice", args=[public.pk]))["Location"] == notice_url(public)


def test_staff_notice_page__public_notice__shows_public_address_and_qr(owner_user, clerk, tree):
    public = post(clerk, tree.estate, public=True)
    html = login(owner_user).get(reverse("deliberation:notice", args=[public.pk])).content.decode()
    assert "data-public" in html and notice_url(public) in html
    private = post(clerk, tree.estate, public=False)
    assert "data-public" not in login(owner_user).get(reverse("deliberation:notice", args=[private.pk])).content.decode()


# --- QR codes -------------------------------------------------------------------------------------------------

def qr_svg(data: str) -> bytes:
    buffer = BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=data)
    return buffer.getvalue()


def test_qr__notice__svg_of_its_public_address(visitor, clerk, tree):
    notice = post(clerk, tree.estate, public=True)
    response = visitor.get(reverse("gongshi:notice-qr", args=[tree.estate.code, notice.pk, "svg"]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == qr_svg(f"http://testserver{notice_url(notice)}")


def test_qr__board_with_public_base_url__encodes_that_address(visitor, tree, settings):
    settings.CG_PUBLIC_BASE_URL = "https://gongzhi.example.cn/"
    response = visitor.get(reverse("gongshi:board-qr", args=[tree.estate.code, "svg"]))
    assert response.content == qr_svg(f"https://gongzhi.example.cn{board_url(tree.estate)}")
    png = visitor.get(reverse("gongshi:board-qr", args=[tree.estate.code, "png"]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert png["Content-Disposition"] == f'attachment; filename="gongshi-{tree.estate.code}.png"'
    assert visitor.get(reverse("gongshi:board-qr", args=[tree.estate.code, "gif"])).status_code == 404


# --- which notices are public -----------------------------------------------------------------------------

def test_notice_publish__defaults__results_and_representatives_public_others_not(clerk, tree):
    assert post(clerk, tree.estate, public=None, kind=NoticeKind.RESULT).public
    assert post(clerk, tree.estate, public=None, kind=NoticeKind.REPRESENTATIVES).public
    assert not post(clerk, tree.estate, public=None, kind=NoticeKind.OTHER).public
    assert not post(clerk, tree.estate, public=None, kind=NoticeKind.VOTE).public


def test_notice_publish__no_issuer__nearest_committee_named(clerk, tree, meeting_world, make_user):
    assert post(clerk, tree.estate, public=None).issuer == "竹竿巷小区业委会"
    assert post(clerk, tree.community, public=None).issuer == "竹竿巷社区居委会"
    street_staff = make_user(RoleKind.STREET_STAFF, tree.street)
    assert post(street_staff, tree.street, public=None).issuer == tree.street.name  # no committee there


def test_meeting_publish__public_box__notice_public_in_conveners_name(plan_meeting, meeting_world):
    client = login(meeting_world.worker)
    meeting = plan_meeting()
    client.post(reverse("deliberation:meeting-act", args=[meeting.pk, "publish"]), {"public": "1"})
    notice = meeting.notices.get()
    assert notice.public and notice.issuer == "竹竿巷社区居委会"
    quiet = meeting_publish_notice(actor=meeting_world.worker, meeting=plan_meeting(title="内部会议"))
    assert not quiet.public


def test_login_page__worded_for_everyone(visitor):
    html = visitor.get(reverse("login")).content.decode()
    assert "residents" in html and "for district, street and community staff" not in html

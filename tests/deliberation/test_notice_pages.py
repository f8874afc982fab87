"""The notices board: scoping, filters, the notice page and its PDF."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.core import clock
from commonground.core.clock import today
from commonground.core.models import Place, RoleKind
from commonground.deliberation.models import Notice, NoticeKind
from commonground.deliberation.services.notices import notice_publish
from commonground.deliberation.services.votes import vote_close


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def far_estate(tree) -> Place:
    return Place.objects.get(code="330105002001-E1")


@pytest.fixture
def far_staff(make_user, tree):
    return make_user(RoleKind.STREET_STAFF, tree.other_street)


@pytest.fixture
def far_notice(far_staff, far_estate) -> Notice:
    return notice_publish(actor=far_staff, place=far_estate, kind=NoticeKind.OTHER, title="天水街道的公示",
                          body="别处的事", posted_on=today())


def post(clerk, place, n: int = 1, **extra) -> list[Notice]:
    fields = {"kind": NoticeKind.OTHER, "posted_on": today(), **extra}
    return [notice_publish(actor=clerk, place=place, title=f"公示{i}", body="第一行\n第二行\n\n第二段", **fields)
            for i in range(n)]


def get(client, user, name: str, *args, **query):
    client.force_login(user)
    return client.get(reverse(f"deliberation:{name}", args=args), query)


def test_notices__owner__own_estate_listed_far_notice_not(client, open_vote, owner_user, far_notice, far_estate):
    vote = open_vote()
    response = get(client, owner_user, "notices")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-notice="{vote.notices.get().pk}"' in html
    assert f'data-notice="{far_notice.pk}"' not in html
    assert far_notice.title not in html
    assert far_estate.name not in html
    assert html.count('class="panel notice-card"') == 1


def test_notices__place_filter__estate_board(client, make_user, register, tree):
    street_staff = make_user(RoleKind.STREET_STAFF, tree.street)
    here = post(street_staff, register.estate)[0]
    elsewhere = post(street_staff, tree.neighbour_estate)[0]
    html = get(client, street_staff, "notices").content.decode()
    assert f'data-notice="{elsewhere.pk}"' in html
    html = get(client, street_staff, "notices", place=register.estate.pk).content.decode()
    assert f'data-notice="{here.pk}"' in html
    assert f'data-notice="{elsewhere.pk}"' not in html
    assert f"Notices: {register.estate.name}" in html


def test_notices__place_outside_scope__empty_nothing_leaked(client, owner_user, far_notice, far_estate):
    for _ in range(25):
        notice_publish(actor=far_notice.published_by, place=far_estate, kind=NoticeKind.OTHER, title="别处",
                       body="别处的事", posted_on=today())
    response = get(client, owner_user, "notices", place=far_estate.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-state="empty"' in html
    assert 'class="panel notice-card"' not in html
    assert far_estate.name not in html
    assert 'class="pagination"' not in html


def test_notices__place_not_a_number__empty(client, clerk, register):
    post(clerk, register.estate)
    html = get(client, clerk, "notices", place="x").content.decode()
    assert 'data-state="empty"' in html


def test_notices__kind_filter__only_results(client, open_vote, owner_user, clerk):
    vote = open_vote()
    with clock.frozen_at(vote.closes_at + datetime.timedelta(minutes=1)):
        vote = vote_close(actor=clerk, vote=vote)
    result = vote.notices.get(kind=NoticeKind.RESULT)
    html = get(client, owner_user, "notices", kind="result").content.decode()
    assert html.count('class="panel notice-card"') == 1
    assert f'data-notice="{result.pk}"' in html


def test_notices__newest_first_display_state(client, clerk, register):
    on = today()
    old = post(clerk, register.estate, posted_on=on - datetime.timedelta(days=30),
               ends_on=on - datetime.timedelta(days=10))[0]
    new = post(clerk, register.estate, posted_on=on, ends_on=on + datetime.timedelta(days=15))[0]
    html = get(client, clerk, "notices").content.decode()
    assert html.index(f'data-notice="{new.pk}"') < html.index(f'data-notice="{old.pk}"')
    after_new = html[html.index(f'data-notice="{new.pk}"'):]
    assert after_new.index('data-display="posted"') < after_new.index(f'data-notice="{old.pk}"')
    assert 'data-display="ended"' in html[html.index(f'data-notice="{old.pk}"'):]


def test_notices__paginated(client, clerk, register):
    post(clerk, register.estate, 25)
    first = get(client, clerk, "notices").content.decode()
    second = get(client, clerk, "notices", page=2).content.decode()
    assert first.count('class="panel notice-card"') == 20
    assert second.count('class="panel notice-card"') == 5


def test_notices__queries__same_for_3_and_10(client, clerk, owner_user, register):
    client.force_login(owner_user)
    url = reverse("deliberation:notices")
    post(clerk, register.estate, 3)
    client.get(url)  # warm the cached `today`
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).content.decode().count('class="panel notice-card"') == 3
    post(clerk, register.estate, 7)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count('class="panel notice-card"') == 10
    assert len(many) == len(few)


def test_notices__anonymous__redirected_to_login(client):
    response = client.get(reverse("deliberation:notices"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_notice_page__body_line_breaks_and_table(client, clerk, owner_user, register):
    notice = post(clerk, register.estate, table=[["回执码", "选择"], ["ABCDE23456", "同意"]])[0]
    response = get(client, owner_user, "notice", notice.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>第一行<br>第二行</p>" in html
    assert "<p>第二段</p>" in html
    assert "<th>回执码</th><th>选择</th>" in html
    assert "<td>ABCDE23456</td><td>同意</td>" in html
    assert reverse("deliberation:notice-pdf", args=[notice.pk]) in html


def test_notice_page__vote_notice__links_the_vote(client, open_vote, owner_user):
    vote = open_vote()
    html = get(client, owner_user, "notice", vote.notices.get().pk).content.decode()
    assert reverse("deliberation:vote", args=[vote.pk]) in html


def test_notice_page__scope(client, clerk, owner_user, far_staff, far_notice, register, make_user, tree):
    mine = post(clerk, register.estate)[0]
    stranger = make_user(RoleKind.RESIDENT, tree.neighbour_estate, person=tree.neighbour_owner)
    assert get(client, owner_user, "notice", far_notice.pk).status_code == 404
    assert get(client, stranger, "notice", mine.pk).status_code == 404
    assert get(client, far_staff, "notice", mine.pk).status_code == 404
    assert get(client, far_staff, "notice", far_notice.pk).status_code == 200
    assert get(client, clerk, "notice", mine.pk).status_code == 200
    client.logout()
    assert client.get(reverse("deliberation:notice", args=[mine.pk])).status_code == 302


def test_notice_pdf__pdf_inline_named_by_id(client, open_vote, owner_user):
    notice = open_vote().notices.get()
    response = get(client, owner_user, "notice-pdf", notice.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="notice-{notice.pk}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_notice_pdf__out_of_scope__404(client, owner_user, far_notice):
    assert get(client, owner_user, "notice-pdf", far_notice.pk).status_code == 404
    client.logout()
    assert client.get(reverse("deliberation:notice-pdf", args=[far_notice.pk])).status_code == 302

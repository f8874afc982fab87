"""The job pages and API: the board and a posting, interest from the page, the fair with positions counted by
posting, the organiser's counts and export, the import page's error table; who sees what (404/403, nothing of
another scope in lists, counts, exports and the API); query counts that stay the same for 1 and N postings."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from commonground.core.reporting import Period
from commonground.programs.jobs_report import jobs_summary, programs_jobs
from commonground.programs.jobs_selectors import postings_for_home
from commonground.programs.models import JobInterest, JobPosting, PostingAudience
from commonground.programs.services.jobs import interest_express, posting_close

from .activity_fixtures import TODAY
from .jobs_fixtures import credit_code, make_posting


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_board__resident__open_postings_only_newest_first(jobs):
    old = make_posting(jobs.worker, jobs.tree.community, title="保洁员")
    draft = make_posting(jobs.worker, jobs.tree.community, title="草稿岗位", publish=False)
    closed = make_posting(jobs.worker, jobs.tree.community, title="已满岗位")
    posting_close(actor=jobs.worker, posting=closed)
    new = make_posting(jobs.enterprise, jobs.office, title="前台接待")
    answer = client_of(jobs.resident).get("/programs/postings/")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert text.index("前台接待") < text.index("保洁员")
    assert "草稿岗位" not in text and "已满岗位" not in text
    api = client_of(jobs.resident).get("/api/programs/postings").json()
    assert [item["id"] for item in api["items"]] == [new.pk, old.pk]
    assert client_of(jobs.resident).get(f"/programs/postings/{draft.pk}/").status_code == 404
    assert client_of(jobs.resident).get(f"/api/programs/postings/{draft.pk}").status_code == 404


def test_board__filters__audience_fair_and_words(jobs):
    in_fair = make_posting(jobs.worker, jobs.tree.community, title="分拣员", fair=jobs.fair,
                           audience=PostingAudience.COURIER_FAMILIES)
    make_posting(jobs.worker, jobs.tree.community, title="保安", work_location="武林广场")
    client = client_of(jobs.resident)
    for query, expected in ((f"fair={jobs.fair.pk}", [in_fair.pk]), ("audience=courier_families", [in_fair.pk]),
                            ("q=武林广场", None)):
        items = client.get(f"/api/programs/postings?{query}").json()["items"]
        if expected is not None:
            assert [item["id"] for item in items] == expected
        else:
            assert [item["title"] for item in items] == ["保安"]


def test_posting_page__resident_expresses_interest__staff_count_rises(jobs):
    posting = make_posting(jobs.worker, jobs.tree.community, fair=jobs.fair)
    answer = client_of(jobs.resident).post(f"/programs/postings/{posting.pk}/interest/",
                                           {"note": "周末可以面试", "phone_consent": "on"})
    assert answer.status_code == 302
    interest = JobInterest.objects.get(posting=posting)
    assert (interest.person_id, interest.note, interest.phone_consent) == (jobs.tree.owner.pk, "周末可以面试", True)
    again = client_of(jobs.resident).post(f"/programs/postings/{posting.pk}/interest/", {})
    assert again.status_code == 400 and "already said" in again.content.decode()
    manage = client_of(jobs.worker).get("/programs/postings/manage/").content.decode()
    assert f'data-posting="{posting.pk}"' in manage and 'data-figure="interests">1<' in manage
    assert 'data-figure="positions-total"><strong>5<' in manage and 'data-figure="interests-total"><strong>1<' in manage
    page = client_of(jobs.worker).get(f"/programs/postings/{posting.pk}/").content.decode()
    assert tuple(jobs.tree.owner.phone) and jobs.tree.owner.phone in page  # consented: the employer may call
    client_of(jobs.resident).post(f"/programs/postings/{posting.pk}/withdraw/")
    assert JobInterest.objects.get(posting=posting).withdrawn_at is not None


def test_posting_page__interest_list__masked_for_the_enterprise(jobs):
    posting = make_posting(jobs.enterprise, jobs.office)
    interest_express(actor=jobs.resident, posting=posting)
    page = client_of(jobs.enterprise).get(f"/programs/postings/{posting.pk}/").content.decode()
    name = jobs.tree.owner.name
    assert name[0] + "**" in page and name not in page
    assert jobs.tree.owner.phone not in page  # no consent: no phone
    staff = client_of(jobs.street).get(f"/programs/postings/{posting.pk}/").content.decode()
    assert name in staff


def test_fair_page__positions_summed_by_posting(jobs):
    for positions in (120, 95, 90):
        make_posting(jobs.worker, jobs.tree.community, positions=positions, fair=jobs.fair)
    make_posting(jobs.worker, jobs.tree.community, positions=50, fair=jobs.fair, publish=False)
    page = client_of(jobs.resident).get(f"/programs/postings/fairs/{jobs.fair.pk}/").content.decode()
    assert 'data-figure="positions">305<' in page and 'data-figure="postings">3<' in page
    api = client_of(jobs.resident).get(f"/api/programs/job-fairs/{jobs.fair.pk}").json()
    assert (api["positions"], api["postings"], len(api["posting_list"])) == (305, 3, 3)
    fairs = client_of(jobs.resident).get("/api/programs/job-fairs").json()["items"]
    assert [(item["id"], item["positions"]) for item in fairs] == [(jobs.fair.pk, 305)]


def test_counts_export__outsider__nothing_of_another_scope(jobs):
    make_posting(jobs.worker, jobs.tree.community, title="本社区岗位", employer_credit_code=credit_code(3))
    make_posting(jobs.enterprise, jobs.office, title="楼宇岗位")
    answer = client_of(jobs.worker).get("/programs/postings/manage/export.xlsx")
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == ["本社区岗位"]
    answer = client_of(jobs.outsider).get("/programs/postings/manage/export.csv")
    assert b"".join(answer.streaming_content).decode("utf-8-sig").count("\n") == 1  # the header only
    assert client_of(jobs.outsider).get("/api/programs/postings/counts").json()["count"] == 0
    enterprise = client_of(jobs.enterprise).get("/api/programs/postings/counts").json()
    assert [item["title"] for item in enterprise["items"]] == ["楼宇岗位"]
    assert client_of(jobs.resident).get("/programs/postings/manage/").status_code == 403
    assert client_of(jobs.resident).get("/programs/postings/manage/export.csv").status_code == 403


def test_posting_steps__outside_the_scope__404_or_403_nothing_changed(jobs, nothing_written):
    draft = make_posting(jobs.worker, jobs.tree.community, publish=False)
    published = make_posting(jobs.worker, jobs.tree.community)
    outsider, enterprise = client_of(jobs.outsider), client_of(jobs.enterprise)
    with nothing_written():
        assert outsider.get(f"/programs/postings/{draft.pk}/").status_code == 404
        assert outsider.post(f"/programs/postings/{draft.pk}/publish/").status_code == 404
        assert outsider.get(f"/programs/postings/{published.pk}/edit/").status_code == 403
        assert enterprise.post(f"/programs/postings/{published.pk}/close/").status_code == 403
        assert outsider.post(f"/api/programs/postings/{published.pk}/close").status_code == 403
        assert outsider.patch(f"/api/programs/postings/{published.pk}", {"positions": 99},
                              content_type="application/json").status_code == 403
        assert client_of(jobs.enterprise).post("/api/programs/postings", {
            "place": jobs.other_office.pk, "title": "越权岗位", "employer_name": "某公司", "positions": 1},
            content_type="application/json").status_code == 404
        assert outsider.get(f"/programs/postings/fairs/{jobs.fair.pk}/import/").status_code == 403


def test_posting_api__create_publish_close(jobs):
    client = client_of(jobs.enterprise)
    created = client.post("/api/programs/postings", {
        "place": jobs.office.pk, "title": "行政助理", "employer_name": "杭州云栖科技有限公司", "positions": 2,
        "pay_min": "5000", "pay_max": "4000"}, content_type="application/json")
    assert created.status_code == 400 and "pay_max" in created.json()["detail"]
    created = client.post("/api/programs/postings", {
        "place": jobs.office.pk, "title": "行政助理", "employer_name": "杭州云栖科技有限公司", "positions": 2,
        "closes_on": (TODAY + datetime.timedelta(days=20)).isoformat()}, content_type="application/json")
    assert created.status_code == 200, created.content
    pk = created.json()["id"]
    assert client.post(f"/api/programs/postings/{pk}/publish").json()["status"] == "published"
    interest = client_of(jobs.resident).post(f"/api/programs/postings/{pk}/interest", {"phone_consent": True},
                                             content_type="application/json")
    assert interest.status_code == 200 and interest.json()["phone_consent"] is True
    assert client_of(jobs.resident).post(f"/api/programs/postings/{pk}/interest", {},
                                         content_type="application/json").status_code == 400
    counts = client.get("/api/programs/postings/counts").json()["items"]
    assert [(item["id"], item["interests"]) for item in counts] == [(pk, 1)]
    assert client_of(jobs.resident).delete(f"/api/programs/postings/{pk}/interest").json()["withdrawn_at"]
    assert client.post(f"/api/programs/postings/{pk}/close").json()["status"] == "closed"


def _xlsx(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "postings.xlsx"
    return data


HEADERS = ["用人单位", "统一社会信用代码", "岗位", "招聘人数", "最低月薪", "最高月薪", "任职要求", "工作地点", "面向",
           "截止日期"]


def test_import_page__errors__table_by_row_and_column_nothing_imported(jobs, nothing_written):
    file = _xlsx([HEADERS, ["顺达物流", "", "分拣员", 10, 4500, 6500, "", "康桥", "小哥家属", ""],
                  ["顺达物流", "", "司机", 0, 4500, 6500, "", "", "", ""]])
    with nothing_written():
        answer = client_of(jobs.worker).post(f"/programs/postings/fairs/{jobs.fair.pk}/import/",
                                             {"file": file, "publish": "on"})
    assert answer.status_code == 400
    assert "Row 3, 招聘人数: a whole number of at least 1." in answer.content.decode()


def test_import_page__valid__postings_in_the_fair(jobs):
    file = _xlsx([HEADERS, *[["顺达物流", credit_code(5), f"分拣员{n}", 10 + n, 4500, 6500, "", "康桥", "小哥家属", ""]
                             for n in range(3)]])
    answer = client_of(jobs.worker).post(f"/programs/postings/fairs/{jobs.fair.pk}/import/",
                                         {"file": file, "publish": "on"})
    assert answer.status_code == 302
    assert sorted(JobPosting.objects.filter(fair=jobs.fair).values_list("positions", flat=True)) == [10, 11, 12]
    template = client_of(jobs.worker).get(f"/programs/postings/fairs/{jobs.fair.pk}/template.xlsx")
    assert list(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))[0][:4] == tuple(
        HEADERS[:4])


@pytest.mark.parametrize("url", ["/programs/postings/", "/programs/postings/manage/", "/programs/postings/fairs/{fair}/",
                                 "/api/programs/postings", "/api/programs/postings/counts",
                                 "/api/programs/job-fairs", "/api/programs/job-fairs/{fair}"])
def test_job_lists__one_and_many_postings__same_query_count(jobs, url):
    url = url.format(fair=jobs.fair.pk)
    client = client_of(jobs.worker)
    first = make_posting(jobs.worker, jobs.tree.community, fair=jobs.fair)
    interest_express(actor=jobs.resident, posting=first)
    one = _queries(client, url)
    for n in range(4):
        posting = make_posting(jobs.worker, jobs.tree.community, fair=jobs.fair, title=f"岗位{n}")
        interest_express(actor=jobs.neighbour, posting=posting)
    assert _queries(client, url) == one


def test_posting_page__query_count_fixed_with_interests(jobs, make_user):
    posting = make_posting(jobs.worker, jobs.tree.community)
    interest_express(actor=jobs.resident, posting=posting)
    url = f"/programs/postings/{posting.pk}/"
    one = _queries(client_of(jobs.worker), url)
    interest_express(actor=jobs.neighbour, posting=posting)
    assert _queries(client_of(jobs.worker), url) == one


def test_postings_for_home__courier_postings_of_the_street_newest_first(jobs):
    first = make_posting(jobs.worker, jobs.tree.community, audience=PostingAudience.COURIER_FAMILIES)
    second = make_posting(jobs.enterprise, jobs.office, audience=PostingAudience.NEW_EMPLOYMENT)
    make_posting(jobs.worker, jobs.tree.community, audience=PostingAudience.EVERYONE)
    make_posting(jobs.outsider, jobs.tree.far_community, audience=PostingAudience.COURIER_FAMILIES)
    make_posting(jobs.worker, jobs.tree.community, audience=PostingAudience.COURIER_FAMILIES, publish=False)
    assert postings_for_home(jobs.tree.estate, limit=5) == [second, first]
    assert postings_for_home(jobs.tree.estate, limit=1) == [second]


def test_programs_jobs__positions_published_in_period_within_scope(jobs):
    year = Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    make_posting(jobs.worker, jobs.tree.community, positions=120)
    closed = make_posting(jobs.enterprise, jobs.office, positions=200)
    posting_close(actor=jobs.enterprise, posting=closed)
    make_posting(jobs.worker, jobs.tree.community, positions=999, publish=False)
    make_posting(jobs.outsider, jobs.tree.far_community, positions=7)
    assert programs_jobs(jobs.tree.street, year) == {"job_positions": 320}
    assert programs_jobs(jobs.tree.district, year) == {"job_positions": 327}
    assert programs_jobs(jobs.tree.other_street, year) == {"job_positions": 7}
    assert programs_jobs(jobs.tree.street, Period(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))) == {
        "job_positions": 0}
    assert jobs_summary({"job_positions": 1320}) == [
        "Employers posted 1,320 positions here in the period (counted by posting, job fairs included)."]
    assert jobs_summary({"job_positions": 0}) == []


def test_posting_form__enterprise_posts_edits_publishes_at_their_building(jobs):
    client = client_of(jobs.enterprise)
    form = client.get("/programs/postings/new/")
    assert form.status_code == 200 and f'value="{jobs.office.pk}"' in form.content.decode()
    assert f'value="{jobs.other_office.pk}"' not in form.content.decode()
    data = {"place": jobs.office.pk, "employer_name": "杭州云栖科技有限公司", "title": "行政助理", "positions": "2",
            "pay_min": "5000", "pay_max": "4000", "audience": "everyone"}
    refused = client.post("/programs/postings/new/", data)
    assert refused.status_code == 400 and not JobPosting.objects.exists()
    assert "The highest pay cannot be below the lowest." in refused.content.decode()
    answer = client.post("/programs/postings/new/", {**data, "pay_max": "6500", "employer_credit_code": credit_code(9)})
    posting = JobPosting.objects.get()
    assert answer.status_code == 302 and (posting.place_id, posting.status) == (jobs.office.pk, "draft")
    assert client.post(f"/programs/postings/{posting.pk}/edit/", {**data, "pay_max": "7000", "positions": "4"}
                       ).status_code == 302
    client.post(f"/programs/postings/{posting.pk}/publish/")
    posting.refresh_from_db()
    assert (posting.positions, posting.pay_max, posting.status) == (4, 7000, "published")
    assert client_of(jobs.resident).get("/programs/postings/new/").status_code == 403


def test_posting_fair_page__staff_attach_and_detach(jobs):
    posting = make_posting(jobs.worker, jobs.tree.community)
    client = client_of(jobs.worker)
    client.post(f"/programs/postings/{posting.pk}/fair/", {"fair": jobs.fair.pk})
    assert JobPosting.objects.get(pk=posting.pk).fair_id == jobs.fair.pk
    client.post(f"/programs/postings/{posting.pk}/fair/", {"fair": ""})
    assert JobPosting.objects.get(pk=posting.pk).fair_id is None


def test_posting_places__street_staff__street_and_what_lies_under_it(jobs):
    from commonground.programs.jobs_selectors import posting_places

    assert list(posting_places(jobs.street).values_list("name", flat=True)) == [
        "武林街道", "竹竿巷社区", "龙游社区", "武林商务社区", "武林1号楼", "武林2号楼"]
    assert list(posting_places(jobs.enterprise)) == [jobs.office]
    assert list(posting_places(jobs.resident)) == []

"""Job postings and interests through the services: validation, the one interest per person, withdrawal, the
import of a fair's postings (all or nothing), and who may post where."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from commonground.programs.jobs_selectors import fair_figures
from commonground.programs.models import JobInterest, JobPosting, PostingAudience, PostingStatus
from commonground.programs.services.jobs import (
    interest_express,
    interest_withdraw,
    posting_attach_to_fair,
    posting_close,
    posting_create,
    posting_publish,
    posting_update,
    postings_import,
)

from .activity_fixtures import TODAY, make_activity
from .jobs_fixtures import DAY, PAY, credit_code, make_posting


def _fields(**changes):
    fields = {"title": "快递分拣员", "employer_name": "杭州顺达物流有限公司", "positions": 5}
    fields.update(changes)
    return fields


def test_posting_create__valid__draft_with_scope_columns(jobs):
    posting = posting_create(actor=jobs.worker, place=jobs.tree.community, employer_credit_code=credit_code(1).lower(),
                             pay_min=PAY[0], pay_max=PAY[1], fair=jobs.fair, **_fields())
    assert (posting.status, posting.published_at, posting.fair_id) == (PostingStatus.DRAFT, None, jobs.fair.pk)
    assert posting.employer_credit_code == credit_code(1)
    assert (posting.place_path, posting.street_path, posting.community_path) == (
        jobs.tree.community.path, jobs.tree.street.path, jobs.tree.community.path)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"employer_credit_code": "91330105MA2000001X"}, "employer_credit_code", "check character"),
    ({"employer_credit_code": "1234"}, "employer_credit_code", "18 characters"),
    ({"pay_min": Decimal("6000"), "pay_max": Decimal("5000")}, "pay_max", "below the lowest"),
    ({"pay_min": Decimal("-1")}, "pay_min", "between 0"),
    ({"positions": 0}, "positions", "at least 1"),
    ({"closes_on": TODAY - DAY}, "closes_on", "in the past"),
    ({"title": "  "}, "title", "title"),
    ({"employer_name": ""}, "employer_name", "employer"),
])
def test_posting_create__invalid__refused_by_field(jobs, nothing_written, changes, field, message):
    with nothing_written(), pytest.raises(ValidationError) as error:
        posting_create(actor=jobs.worker, place=jobs.tree.community, **_fields(**changes))
    assert list(error.value.message_dict) == [field]
    assert message in error.value.message_dict[field][0]


@pytest.mark.parametrize(("values", "constraint"), [
    ({"positions": 0}, "jobposting_positions_positive"),
    ({"pay_min": Decimal("7000"), "pay_max": Decimal("6000")}, "jobposting_pay_range_ordered"),
    ({"status": "published"}, "jobposting_published_has_time"),
    ({"employer_credit_code": "abc"}, "jobposting_credit_code_shape"),
])
def test_jobposting__invariant_broken__database_refuses(jobs, values, constraint):
    row = {"title": "t", "employer_name": "e", "positions": 1, "place": jobs.tree.community,
           "place_path": jobs.tree.community.path, **values}
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        JobPosting.objects.create(**row)


def test_posting_publish__closing_day_passed__refused(jobs, nothing_written):
    posting = make_posting(jobs.worker, jobs.tree.community, publish=False, closes_on=TODAY + DAY)
    JobPosting.objects.filter(pk=posting.pk).update(closes_on=TODAY - DAY)
    with nothing_written(), pytest.raises(ValidationError, match="in the past"):
        posting_publish(actor=jobs.worker, posting=posting)


def test_posting_lifecycle__publish_update_close__times_kept(jobs):
    posting = make_posting(jobs.worker, jobs.tree.community)
    assert posting.status == PostingStatus.PUBLISHED and posting.published_at is not None
    posting = posting_update(actor=jobs.worker, posting=posting, positions=8, audience=PostingAudience.COURIER_FAMILIES)
    assert (posting.positions, posting.audience) == (8, "courier_families")
    posting = posting_close(actor=jobs.worker, posting=posting)
    assert posting.status == PostingStatus.CLOSED and posting.closed_at is not None
    with pytest.raises(ValidationError, match="closed"):
        posting_update(actor=jobs.worker, posting=posting, positions=9)
    with pytest.raises(ValidationError, match="Only a draft"):
        posting_publish(actor=jobs.worker, posting=posting)


def test_posting_create__enterprise_contact__only_at_their_building(jobs, nothing_written):
    posting = make_posting(jobs.enterprise, jobs.office, employer_place=jobs.office)
    assert posting.place == jobs.office
    with nothing_written(), pytest.raises(PermissionDenied):
        posting_create(actor=jobs.enterprise, place=jobs.other_office, **_fields())
    with nothing_written(), pytest.raises(PermissionDenied):
        posting_create(actor=jobs.enterprise, place=jobs.tree.street, **_fields())


def test_posting_update__other_place__refused(jobs, nothing_written):
    posting = make_posting(jobs.worker, jobs.tree.community)
    for actor in (jobs.outsider, jobs.enterprise, jobs.resident):
        with nothing_written(), pytest.raises(PermissionDenied):
            posting_update(actor=actor, posting=posting, positions=50)
        with nothing_written(), pytest.raises(PermissionDenied):
            posting_close(actor=actor, posting=posting)


def test_posting_attach_to_fair__not_a_fair__refused(jobs, nothing_written):
    posting = make_posting(jobs.worker, jobs.tree.community)
    course = make_activity(jobs.worker, jobs.organiser, title="插花课")
    with nothing_written(), pytest.raises(ValidationError, match="Only a job fair"):
        posting_attach_to_fair(actor=jobs.worker, posting=posting, fair=course)
    posting = posting_attach_to_fair(actor=jobs.worker, posting=posting, fair=jobs.fair)
    assert posting.fair_id == jobs.fair.pk
    assert posting_attach_to_fair(actor=jobs.worker, posting=posting, fair=None).fair_id is None


def test_interest_express__twice__refused_once_recorded(jobs, nothing_written):
    posting = make_posting(jobs.worker, jobs.tree.community)
    interest = interest_express(actor=jobs.resident, posting=posting, note="下午有空", phone_consent=True)
    assert (interest.person_id, interest.phone_consent, interest.withdrawn_at) == (jobs.tree.owner.pk, True, None)
    with nothing_written(), pytest.raises(ValidationError, match="already said"):
        interest_express(actor=jobs.resident, posting=posting)
    assert JobInterest.objects.filter(posting=posting).count() == 1


def test_interest_withdraw__then_again__same_row_active(jobs):
    posting = make_posting(jobs.worker, jobs.tree.community)
    interest = interest_express(actor=jobs.resident, posting=posting)
    interest = interest_withdraw(actor=jobs.resident, interest=interest)
    assert interest.withdrawn_at is not None
    with pytest.raises(ValidationError, match="already withdrawn"):
        interest_withdraw(actor=jobs.resident, interest=interest)
    again = interest_express(actor=jobs.resident, posting=posting)
    assert (again.pk, again.withdrawn_at) == (interest.pk, None)


def test_interest_withdraw__someone_else__refused(jobs, nothing_written):
    posting = make_posting(jobs.worker, jobs.tree.community)
    interest = interest_express(actor=jobs.resident, posting=posting)
    with nothing_written(), pytest.raises(PermissionDenied):
        interest_withdraw(actor=jobs.neighbour, interest=interest)


@pytest.mark.parametrize("state", ["draft", "closed", "expired"])
def test_interest_express__posting_not_open__refused(jobs, nothing_written, state):
    posting = make_posting(jobs.worker, jobs.tree.community, publish=state != "draft", closes_on=TODAY + DAY)
    if state == "closed":
        posting_close(actor=jobs.worker, posting=posting)
    if state == "expired":
        JobPosting.objects.filter(pk=posting.pk).update(closes_on=TODAY - DAY)
    with nothing_written(), pytest.raises((ValidationError, PermissionDenied)):
        interest_express(actor=jobs.resident, posting=posting)


def test_interest_express__no_person_record__refused(jobs, make_user, nothing_written):
    posting, nobody = make_posting(jobs.worker, jobs.tree.community), make_user()
    with nothing_written(), pytest.raises(ValidationError, match="not linked to a person"):
        interest_express(actor=nobody, posting=posting)


def test_interest_express__staff_at_the_desk__records_a_visitor(jobs, nothing_written):
    posting = make_posting(jobs.worker, jobs.tree.community)
    interest = interest_express(actor=jobs.worker, posting=posting, person=jobs.tree.neighbour_owner)
    assert (interest.person_id, interest.expressed_by_id) == (jobs.tree.neighbour_owner.pk, jobs.worker.pk)
    with nothing_written(), pytest.raises(PermissionDenied):
        interest_express(actor=jobs.resident, posting=posting, person=jobs.tree.neighbour_owner)


ROW = {"employer_name": "杭州顺达物流有限公司", "title": "快递分拣员", "positions": "12", "pay_min": "4500",
       "pay_max": "6500", "audience": "小哥家属"}


def test_postings_import__valid__all_published_in_the_fair(jobs):
    rows = [{**ROW, "_row": 2}, {**ROW, "title": "仓库管理员", "positions": "3", "_row": 3,
                                 "employer_credit_code": credit_code(7), "closes_on": "2024-06-30"}]
    added = postings_import(actor=jobs.worker, fair=jobs.fair, rows=rows)
    assert [(p.title, p.positions, p.status, p.fair_id, p.place_id) for p in added] == [
        ("快递分拣员", 12, "published", jobs.fair.pk, jobs.tree.community.pk),
        ("仓库管理员", 3, "published", jobs.fair.pk, jobs.tree.community.pk)]
    assert fair_figures(jobs.fair).positions == 15
    assert sorted(JobPosting.history.values_list("id", flat=True)) == sorted(p.pk for p in added)


def test_postings_import__errors__nothing_imported_each_told_by_row_and_column(jobs, nothing_written):
    rows = [{**ROW, "_row": 2}, {**ROW, "positions": "0", "_row": 3},
            {**ROW, "pay_min": "7000", "employer_credit_code": "91330105MA2000001X", "_row": 4},
            {**ROW, "title": "", "audience": "外星人", "closes_on": "2024-02-30", "_row": 5}]
    with nothing_written(), pytest.raises(ValidationError) as error:
        postings_import(actor=jobs.worker, fair=jobs.fair, rows=rows)
    messages = error.value.message_dict["rows"]
    assert [message.split(":")[0] for message in messages] == [
        "Row 3, 招聘人数", "Row 4, 统一社会信用代码", "Row 4, 最高月薪", "Row 5, 岗位", "Row 5, 面向", "Row 5, 截止日期"]


def test_postings_import__outside_the_scope__refused(jobs, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        postings_import(actor=jobs.enterprise, fair=jobs.fair, rows=[ROW])


def test_fair_figures__positions_counted_by_posting__drafts_left_out(jobs):
    for positions in (3, 7, 11):
        make_posting(jobs.worker, jobs.tree.community, positions=positions, fair=jobs.fair)
    make_posting(jobs.worker, jobs.tree.community, positions=100, fair=jobs.fair, publish=False)
    closed = make_posting(jobs.worker, jobs.tree.community, positions=2, fair=jobs.fair)
    posting_close(actor=jobs.worker, posting=closed)
    interest_express(actor=jobs.resident, posting=closed.__class__.objects.filter(positions=3).get())
    figures = fair_figures(jobs.fair)
    assert (figures.postings, figures.positions, figures.employers, figures.interests) == (4, 23, 1, 1)


def test_posting_create__closes_today__accepted(jobs):
    posting = make_posting(jobs.worker, jobs.tree.community, closes_on=TODAY)
    assert posting.closes_on == TODAY and posting.status == "published"
    assert isinstance(posting.published_at, datetime.datetime)

"""The fund's services stage by stage, the guard against over-commitment and over-payment (sequentially), and
refusals that leave nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.coordination.models import (
    BudgetLine,
    Disbursement,
    Fund,
    FundProject,
    FundStage,
    ProjectReview,
)
from commonground.coordination.services.fund import (
    disbursement_record,
    fund_committed_recount,
    fund_project_accept,
    fund_project_allowed_actions,
    fund_project_complete,
    fund_project_review,
    fund_project_submit,
    fund_project_update,
    fund_project_withdraw,
    fund_update,
    project_photo_add,
)
from commonground.core import clock
from tests.coordination.fund_fixtures import DAY, at, pdf, png

pytestmark = pytest.mark.django_db


def test_fund_project_create__lines__amounts_computed_and_summed(fund_world):
    project = fund_world.project()

    assert [line.amount for line in project.budget_lines.all()] == [Decimal("15000.00"), Decimal("5000.50")]
    assert project.requested_amount == Decimal("20000.50")
    assert (project.stage, project.place_path, project.street_path, project.community_path) == (
        FundStage.DRAFT, fund_world.tree.estate.path, fund_world.tree.street.path, fund_world.tree.community.path)


def test_fund_project_create__resolution_of_another_estate__refused(fund_world, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        fund_world.project(resolution=fund_world.neighbour_resolution)
    assert "this estate or its community" in str(error.value)


def test_fund_project_create__committee_of_other_estate__refused(fund_world, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        fund_world.project(actor=fund_world.neighbour_committee)


def test_fund_project_submit__no_lines__refused_nothing_changed(fund_world, nothing_written):
    project = fund_world.project(lines=[])
    with nothing_written(), pytest.raises(ValidationError) as error, clock.frozen_at(at(DAY)):
        fund_project_submit(actor=fund_world.committee, project=project)
    assert "budget lines" in str(error.value)


def test_fund_project_submit__no_decision__refused(fund_world, nothing_written):
    project = fund_world.project()
    with clock.frozen_at(at(DAY)):
        fund_project_update(actor=fund_world.committee, project=project, resolution=None)
    with nothing_written(), pytest.raises(ValidationError) as error, clock.frozen_at(at(DAY)):
        fund_project_submit(actor=fund_world.committee, project=project)
    assert "supports the project" in str(error.value)


def test_fund_project_review__three_levels__approved_and_committed(fund_world):
    project = fund_world.approved()

    fund = Fund.objects.get(pk=fund_world.fund.pk)
    assert (project.stage, project.approved_amount) == (FundStage.APPROVED, Decimal("20000.50"))
    assert (fund.committed, fund.disbursed) == (Decimal("20000.50"), Decimal("0.00"))
    assert list(ProjectReview.objects.filter(project=project).values_list("level", "decision")) == [
        ("community", "approve"), ("street", "approve"), ("fund_office", "approve")]


def test_fund_project_review__community_worker_at_street_level__denied(fund_world, nothing_written):
    project = fund_world.submitted()
    with clock.frozen_at(at(DAY, 12)):
        project = fund_project_review(actor=fund_world.community, project=project, decision="approve")
    with nothing_written(), pytest.raises(PermissionDenied):
        fund_project_review(actor=fund_world.community, project=project, decision="approve")


def test_fund_project_review__street_staff_at_fund_office_level__denied(fund_world, nothing_written):
    project = fund_world.street_approved()
    with nothing_written(), pytest.raises(PermissionDenied):
        fund_project_review(actor=fund_world.street, project=project, decision="approve")


def test_fund_project_review__return__draft_with_comment_then_resubmitted(fund_world):
    project = fund_world.submitted()
    with clock.frozen_at(at(DAY, 12)):
        project = fund_project_review(actor=fund_world.community, project=project, decision="return",
                                      comment="请补充报价单")
    assert (project.stage, project.returned) == (FundStage.DRAFT, True)
    with clock.frozen_at(at(DAY, 13)):
        project = fund_project_submit(actor=fund_world.committee, project=project)
    assert (project.stage, project.returned) == (FundStage.SUBMITTED, False)


def test_fund_project_review__return_without_comment__refused(fund_world, nothing_written):
    project = fund_world.submitted()
    with nothing_written(), pytest.raises(ValidationError):
        fund_project_review(actor=fund_world.community, project=project, decision="return")


def test_fund_project_review__reject__rejected_nothing_committed(fund_world):
    project = fund_world.street_approved()
    with clock.frozen_at(at(DAY, 15)):
        project = fund_project_review(actor=fund_world.office, project=project, decision="reject", comment="不符合范围")
    assert project.stage == FundStage.REJECTED
    assert Fund.objects.get(pk=fund_world.fund.pk).committed == 0


def test_fund_project_review__over_commit__clear_error_nothing_written(fund_world, nothing_written):
    fund_world.approved(lines=[{"item": "凉亭", "quantity": "1", "unit": "座", "unit_price": "90000"}])
    project = fund_world.street_approved()  # 20,000.50 asked, 10,000.00 left
    with nothing_written(), pytest.raises(ValidationError) as error:
        fund_project_review(actor=fund_world.office, project=project, decision="approve")
    assert error.value.message_dict["amount"] == ["The fund has ¥10,000.00 left; this project needs ¥20,000.50."]


def test_fund_project_review__less_than_requested__commits_less(fund_world):
    project = fund_world.approved(amount=Decimal("18000"))
    assert project.approved_amount == Decimal("18000.00")
    assert Fund.objects.get(pk=fund_world.fund.pk).committed == Decimal("18000.00")


def test_fund_project_review__more_than_requested__refused(fund_world, nothing_written):
    project = fund_world.street_approved()
    with nothing_written(), pytest.raises(ValidationError):
        fund_project_review(actor=fund_world.office, project=project, decision="approve", amount=Decimal("30000"))


def test_disbursement_record__within_approved__both_figures_rise(fund_world):
    project = fund_world.approved()
    with clock.frozen_at(at(DAY, 17)):
        payment = disbursement_record(actor=fund_world.office, project=project, amount=Decimal("10000"),
                                      paid_on=DAY, receipt=pdf(), note="首付款")
    project.refresh_from_db()
    fund = Fund.objects.get(pk=fund_world.fund.pk)
    assert (payment.receipt_type, project.disbursed_amount, fund.disbursed) == (
        "application/pdf", Decimal("10000.00"), Decimal("10000.00"))
    assert fund_committed_recount(fund) == {"committed": fund.committed, "disbursed": fund.disbursed}


def test_disbursement_record__beyond_approved__refused_nothing_written(fund_world, nothing_written):
    project = fund_world.approved()
    with clock.frozen_at(at(DAY, 17)):
        disbursement_record(actor=fund_world.office, project=project, amount=Decimal("20000"), paid_on=DAY,
                            receipt=pdf())
    with nothing_written(), pytest.raises(ValidationError) as error, clock.frozen_at(at(DAY, 18)):
        disbursement_record(actor=fund_world.office, project=project, amount=Decimal("1"), paid_on=DAY,
                            receipt=pdf())
    assert error.value.message_dict["amount"] == [
        "The project has ¥0.50 approved and not yet paid; this payment is ¥1.00."]


def test_disbursement_record__not_a_receipt__refused(fund_world, nothing_written):
    project = fund_world.approved()
    fake = SimpleUploadedFile("receipt.pdf", b"<html>hello</html>", content_type="application/pdf")
    with nothing_written(), pytest.raises(ValidationError) as error, clock.frozen_at(at(DAY, 17)):
        disbursement_record(actor=fund_world.office, project=project, amount=Decimal("1"), paid_on=DAY,
                            receipt=fake)
    assert "receipt" in error.value.message_dict


def test_disbursement_record__street_staff__denied(fund_world, nothing_written):
    project = fund_world.approved()
    with nothing_written(), pytest.raises(PermissionDenied), clock.frozen_at(at(DAY, 17)):
        disbursement_record(actor=fund_world.street, project=project, amount=Decimal("1"), paid_on=DAY,
                            receipt=pdf())


def test_fund_project_complete__without_after_photo__refused_then_completed_and_accepted(fund_world,
                                                                                       nothing_written):
    project = fund_world.approved()
    with nothing_written(), pytest.raises(ValidationError), clock.frozen_at(at(DAY, 18)):
        fund_project_complete(actor=fund_world.committee, project=project)
    with clock.frozen_at(at(DAY, 18)):
        project_photo_add(actor=fund_world.committee, project=project, kind="after", image=png(), caption="建成")
        project = fund_project_complete(actor=fund_world.committee, project=project)
        project = fund_project_accept(actor=fund_world.community, project=project, result="passed", note="居民满意")
    assert (project.stage, project.acceptance_result, project.accepted_on) == (
        FundStage.COMPLETED, "passed", DAY)


def test_fund_project_withdraw__approved__refused(fund_world, nothing_written):
    project = fund_world.approved()
    with nothing_written(), pytest.raises(ValidationError):
        fund_project_withdraw(actor=fund_world.committee, project=project)


def test_fund_project_update__submitted__refused(fund_world, nothing_written):
    project = fund_world.submitted()
    with nothing_written(), pytest.raises(ValidationError):
        fund_project_update(actor=fund_world.committee, project=project, title="新标题")


def test_fund_update__total_below_committed__refused(fund_world, nothing_written):
    fund_world.approved()
    with nothing_written(), pytest.raises(ValidationError):
        fund_update(actor=fund_world.office, fund=fund_world.fund, total=Decimal("100"))


def test_fund_project_allowed_actions__by_role_and_stage(fund_world):
    project = fund_world.submitted()
    assert fund_project_allowed_actions(fund_world.committee, project) == ["withdraw", "photo"]
    assert fund_project_allowed_actions(fund_world.community, project) == ["review", "withdraw", "photo"]
    assert fund_project_allowed_actions(fund_world.street, project) == ["withdraw", "photo"]
    project = fund_world.approved(title="第二个")
    assert fund_project_allowed_actions(fund_world.office, project) == ["disburse", "photo", "complete"]
    assert fund_project_allowed_actions(fund_world.street, project) == ["photo", "complete"]


def test_database_guard__over_commit_written_directly__check_constraint_refuses(fund_world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund_world.fund.pk).update(committed=Decimal("100000.01"))
    project = fund_world.approved()
    with pytest.raises(IntegrityError), transaction.atomic():
        FundProject.objects.filter(pk=project.pk).update(disbursed_amount=project.approved_amount + 1)
    assert BudgetLine.objects.count() == 2 and Disbursement.objects.count() == 0


def test_place_move__estate_to_other_community__project_scope_columns_follow(fund_world):
    from commonground.core.services.places import place_move

    project = fund_world.project()
    place_move(place=fund_world.tree.estate, new_parent=fund_world.tree.far_community)
    project.refresh_from_db()
    estate = fund_world.tree.estate.__class__.objects.get(pk=fund_world.tree.estate.pk)
    assert (project.place_path, project.street_path, project.community_path) == (
        estate.path, fund_world.tree.other_street.path, fund_world.tree.far_community.path)

"""The warnings pages and API: the list and one warning (scoped: another street's staff 404 and nothing in lists,
exports or the API), the actions, turning a warning into a case, query counts fixed for 1 and N warnings."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.cases.models import Case
from commonground.cockpit.models import Alert, WarningState
from commonground.cockpit.services.warnings import alert_raise
from commonground.core import clock

from .warnings_fixtures import finding

pytestmark = pytest.mark.django_db


def test_warnings_list__street_staff__sees_their_street_only(client, warnings):
    client.force_login(warnings.s.staff)
    page = client.get(reverse("cockpit:warnings")).content.decode()
    assert warnings.alert.title in page and warnings.far_alert.title not in page


def test_warnings_list__filters__rule_and_severity(client, warnings):
    client.force_login(warnings.s.admin)
    page = client.get(reverse("cockpit:warnings"), {"rule": "crowding", "severity": 3}).content.decode()
    assert warnings.far_alert.title in page and warnings.alert.title not in page


def test_warning_detail__other_streets_staff__404(client, warnings):
    client.force_login(warnings.s.far_staff)
    assert client.get(reverse("cockpit:warning", args=[warnings.alert.pk])).status_code == 404
    response = client.post(reverse("cockpit:warning-close", args=[warnings.alert.pk]))
    assert response.status_code == 404
    assert Alert.objects.get(pk=warnings.alert.pk).state == WarningState.OPEN


def test_warning_detail__staff__chart_data_and_actions(client, warnings):
    client.force_login(warnings.s.staff)
    page = client.get(reverse("cockpit:warning", args=[warnings.alert.pk])).content.decode()
    assert 'id="warning-chart-data"' in page and "data-action=\"to-case\"" in page


def test_warning_detail__grid_worker__sees_no_actions_and_may_not_close(client, warnings, make_user):
    from commonground.core.models import RoleKind

    grid = make_user(RoleKind.GRID_WORKER, warnings.s.tree.community)
    client.force_login(grid)
    page = client.get(reverse("cockpit:warning", args=[warnings.alert.pk])).content.decode()
    assert "data-action=\"to-case\"" not in page
    assert client.post(reverse("cockpit:warning-close", args=[warnings.alert.pk])).status_code == 403


def test_warning_acknowledge_page__staff__acknowledged(client, warnings):
    client.force_login(warnings.s.worker)
    response = client.post(reverse("cockpit:warning-acknowledge", args=[warnings.alert.pk]))
    assert response.status_code == 302
    assert Alert.objects.get(pk=warnings.alert.pk).state == WarningState.ACKNOWLEDGED


def test_warning_assign_page__colleague__assigned(client, warnings):
    client.force_login(warnings.s.staff)
    client.post(reverse("cockpit:warning-assign", args=[warnings.alert.pk]), {"assignee": warnings.s.worker.pk})
    assert Alert.objects.get(pk=warnings.alert.pk).assignee == warnings.s.worker


def test_warning_case_page__category_chosen__case_opened_and_shown(client, warnings):
    client.force_login(warnings.s.staff)
    url = reverse("cockpit:warning-case", args=[warnings.alert.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"category": warnings.category.pk, "description": ""})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.number])
    assert Alert.objects.get(pk=warnings.alert.pk).case == case


def test_warnings_export__csv__the_viewers_warnings_only(client, warnings):
    client.force_login(warnings.s.staff)
    body = b"".join(client.get(reverse("cockpit:warnings-export-csv"), {"state": "all"}).streaming_content)
    text = body.decode("utf-8-sig")
    assert warnings.alert.title in text and warnings.far_alert.title not in text
    assert client.get(reverse("cockpit:warnings-export-xlsx")).status_code == 200


def test_api_warnings__list_and_one__scoped(client, warnings):
    client.force_login(warnings.s.far_staff)
    listed = client.get("/api/cockpit/warnings").json()
    assert [item["id"] for item in listed["items"]] == [warnings.far_alert.pk]
    assert client.get(f"/api/cockpit/warnings/{warnings.alert.pk}").status_code == 404
    assert client.post(f"/api/cockpit/warnings/{warnings.alert.pk}/close").status_code == 404
    one = client.get(f"/api/cockpit/warnings/{warnings.far_alert.pk}").json()
    assert (one["rule"], one["severity"], one["evidence"]["marked"]) == ("crowding", 3, ["05-06 10:00", "05-06 11:00"])


def test_api_warnings__actions__acknowledge_assign_case(client, warnings):
    s = warnings.s
    client.force_login(s.staff)
    base = f"/api/cockpit/warnings/{warnings.alert.pk}"
    assert client.post(f"{base}/acknowledge").json()["state"] == "acknowledged"
    bad = client.post(f"{base}/assign", {"assignee": s.far_staff.pk}, content_type="application/json")
    assert bad.status_code == 400
    assert client.post(f"{base}/assign", {"assignee": s.worker.pk},
                       content_type="application/json").json()["assignee"] == s.worker.pk
    made = client.post(f"{base}/case", {"category": warnings.category.pk}, content_type="application/json")
    assert made.status_code == 200 and made.json()["case_number"] == Case.objects.get().number
    assert client.post(f"{base}/close").status_code == 400


def _more_alerts(warnings, n: int) -> None:
    s = warnings.s
    for i in range(n):
        with clock.frozen_at(clock.now() + datetime.timedelta(minutes=i)):
            alert_raise(finding=finding(s.tree.community, key=f"test:{i}", title=f"测试预警 {i}"))


@pytest.mark.parametrize("url", ["list", "api", "export"])
def test_query_count__one_or_many_warnings__same(client, warnings, url):
    path = {"list": reverse("cockpit:warnings"), "api": "/api/cockpit/warnings",
            "export": reverse("cockpit:warnings-export-xlsx")}[url]
    client.force_login(warnings.s.staff)
    client.get(path)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    few = count()
    _more_alerts(warnings, 5)
    assert count() == few

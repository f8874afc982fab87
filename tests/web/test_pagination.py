"""The shared page links keep the filters and point at the other pages (Django's querystring tag writes the "?")."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import RequestContext, Template
from django.test import RequestFactory


def test_pagination__links__keep_filters_and_name_the_page():
    request = RequestFactory().get("/cases/", {"stage": "open", "page": "2"})
    page = Paginator(list(range(100)), 10).page(2)
    html = Template('{% include "web/_pagination.html" with target="#results" %}').render(
        RequestContext(request, {"page": page}))
    assert 'href="?stage=open&amp;page=1"' in html and 'hx-get="?stage=open&amp;page=1"' in html
    assert 'href="?stage=open&amp;page=3"' in html
    assert "??" not in html

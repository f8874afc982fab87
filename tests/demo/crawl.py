"""A breadth-first crawl of the site as one user: every internal link, every `hx-get`, and every GET form
(as it stands and with each select's first option), a few pages per kind of page (its URL name and query
keys), so every page kind of every app is reached, today's and tomorrow's, without a list to keep."""

from __future__ import annotations

import io
import re
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

SKIPPED_PREFIXES = ("/static/", "/media/", "/logout/", "/i18n/", "/admin/logout/", "/admin/jsi18n/")
TRACEBACK = "Traceback (most recent call last)"
TEXT_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
HIDDEN_TAGS = {"script", "style", "template", "noscript"}


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    selects: list[tuple[str, list[str]]] = field(default_factory=list)  # name, option values (first is default)


class PageParser(HTMLParser):
    """Links, GET forms and the visible text (text nodes and readable attributes) of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.texts: list[str] = []
        self._hidden = 0
        self._form: Form | None = None
        self._select: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        self.texts += [a[name] for name in TEXT_ATTRIBUTES if a.get(name)]
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("hx-get"):
            self.links.append(a["hx-get"])
        if tag == "form" and a.get("method", "get").lower() == "get":
            self._form = Form(a.get("action", ""))
        elif tag == "form":
            self._form = None
        if self._form is None:
            return
        if tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button", "file", "image"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [])
            self._form.selects.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TAGS and self._hidden:
            self._hidden -= 1
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data)


def form_urls(base: str, form: Form) -> Iterator[str]:
    """The form as it stands, then with each select set to its first non-empty option."""
    action = urljoin(base, form.action or base)
    defaults = [*form.fields, *((name, options[0]) for name, options in form.selects if options)]
    yield f"{action.split('?')[0]}?{urlencode(defaults)}"
    for name, options in form.selects:
        first = next((value for value in options if value), None)
        if first is not None:
            chosen = [(k, v) for k, v in defaults if k != name] + [(name, first)]
            yield f"{action.split('?')[0]}?{urlencode(chosen)}"


def kind_of(url: str) -> str | None:
    """The kind of page: its URL name and the names of its query parameters (None: not ours)."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{match.view_name or parts.path}?{'&'.join(keys)}"


@dataclass
class Visit:
    url: str
    kind: str
    status: int
    content_type: str
    ms: float
    problems: list[str] = field(default_factory=list)


@dataclass
class Crawl:
    """Crawl as `client`; `check(url, text)` returns the problems of one page's readable text."""

    client: Client
    check: Callable[[str, list[str]], list[str]]
    per_kind: int = 2  # pages of one URL name with the same query keys
    per_name: int = 3  # pages of one URL name whatever the query (filters, sorting, pages)
    limit: int = 120
    visits: list[Visit] = field(default_factory=list)

    def run(self, start: str = "/") -> list[Visit]:
        queue, seen, kinds, names = deque([start]), {start}, Counter(), Counter()
        files: set[str] = set()  # names that answered a download: one of each is enough
        while queue and len(self.visits) < self.limit:
            url = queue.popleft()
            kind = kind_of(url)
            name = (kind or "").split("?")[0]
            if kind is None or kinds[kind] >= self.per_kind or names[name] >= self.per_name or name in files:
                continue
            kinds[kind] += 1
            names[name] += 1
            visit, links = self.fetch(url, kind)
            self.visits.append(visit)
            if visit.content_type != "text/html":
                files.add(name)
            for link in links:
                target = self.internal(url, link)
                if target and target not in seen:
                    seen.add(target)
                    queue.append(target)
        return self.visits

    def internal(self, base: str, link: str) -> str | None:
        if link.startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
            return None
        target = urldefrag(urljoin(base, link))[0]
        parts = urlsplit(target)
        if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIPPED_PREFIXES):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def fetch(self, url: str, kind: str) -> tuple[Visit, list[str]]:
        started = time.perf_counter()
        response = self.client.get(url, follow=False)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        ms = (time.perf_counter() - started) * 1000
        content_type = response.get("Content-Type", "").split(";")[0]
        visit = Visit(url, kind, response.status_code, content_type, ms)
        links: list[str] = []
        if response.status_code >= 500:
            visit.problems.append(f"{response.status_code}")
        if response.status_code in (301, 302) and response.get("Location"):
            links.append(response["Location"])
        text = readable(body, content_type)
        if text is None:
            return visit, links
        if TRACEBACK in "".join(text):
            visit.problems.append("traceback")
        if content_type == "text/html":
            parser = PageParser()
            parser.feed(body.decode("utf-8", "replace"))
            links += parser.links
            for form in parser.forms:
                links += list(form_urls(url, form))
            text = parser.texts
        visit.problems += self.check(url, text)
        return visit, links


def readable(body: bytes, content_type: str) -> list[str] | None:
    """The text a person reads in a response (None for binary files we do not read)."""
    if content_type.startswith("text/") or content_type.endswith(("json", "xml")):
        return [body.decode("utf-8", "replace")]
    if content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return [str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
                if value is not None]
    return None


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()

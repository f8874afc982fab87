"""The deliberation API under /api/ (votes, elections, ballots, results, notices, meetings)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["deliberation"])

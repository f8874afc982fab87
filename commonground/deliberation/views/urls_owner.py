from __future__ import annotations

from django.urls import path

from . import ballots, notices, votes_owner

urlpatterns = [
    path("votes/mine/", votes_owner.my_votes, name="my-votes"),
    path("votes/<int:pk>/", votes_owner.vote_page, name="vote"),
    path("votes/<int:pk>/result/", votes_owner.vote_result, name="vote-result"),
    path("votes/<int:pk>/record.json", votes_owner.vote_record, name="vote-record"),
    path("votes/<int:pk>/ballots/", ballots.vote_ballots, name="vote-ballots"),
    path("notices/", notices.notices, name="notices"),
    path("notices/<int:pk>/", notices.notice, name="notice"),
    path("notices/<int:pk>.pdf", notices.notice_pdf, name="notice-pdf"),
]

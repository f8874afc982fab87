"""Staff pages to run owners' votes and elections (names are fixed: other pages link to them)."""

from __future__ import annotations

from django.urls import path

from . import staff_elections as elections
from . import staff_votes as votes

urlpatterns = [
    path("votes/", votes.vote_list, name="votes"),
    path("votes/new/", votes.vote_new, name="vote-create"),
    path("votes/new/estates/", votes.estate_choices, name="vote-estate-options"),
    path("votes/<int:pk>/manage/", votes.vote_manage, name="vote-manage"),
    path("votes/<int:pk>/edit/", votes.vote_edit, name="vote-edit"),
    path("votes/<int:pk>/turnout/", votes.vote_turnout, name="vote-turnout"),
    path("votes/<int:pk>/announce/", votes.announce, name="vote-announce"),
    path("votes/<int:pk>/close/", votes.close, name="vote-close"),
    path("votes/<int:pk>/cancel/", votes.cancel, name="vote-cancel"),
    path("votes/<int:pk>/appeal/", votes.appeal, name="vote-appeal"),
    path("votes/<int:pk>/paper/", votes.ballot_entry, name="ballot-enter"),
    path("votes/<int:pk>/paper/electors/", votes.elector_choices, name="vote-elector-options"),
    path("votes/<int:pk>/ballots/<int:ballot>/<slug:kind>/", votes.ballot_file, name="ballot-file"),
    path("votes/<int:pk>/group/", elections.group_add, name="vote-group-add"),
    path("votes/<int:pk>/group/<int:member>/remove/", elections.group_remove, name="vote-group-remove"),
    path("votes/<int:pk>/candidates/", elections.candidate_add, name="vote-candidate-add"),
    path("votes/<int:pk>/candidates/owners/", elections.owner_choices, name="vote-owner-options"),
    path("votes/<int:pk>/candidates/<int:candidate>/review/", elections.candidate_check,
         name="vote-candidate-review"),
    path("votes/<int:pk>/candidates/<int:candidate>/withdraw/", elections.candidate_remove,
         name="vote-candidate-withdraw"),
]

"""The public board (公示栏), mounted at /gongshi/: readable without logging in, one stable address per place."""

from django.urls import path

from . import public

app_name = "gongshi"

urlpatterns = [
    path("", public.boards, name="boards"),
    path("<str:code>/", public.board, name="board"),
    path("<str:code>/qr.<str:fmt>", public.board_qr, name="board-qr"),
    path("<str:code>/<int:pk>/", public.notice, name="notice"),
    path("<str:code>/<int:pk>.pdf", public.notice_pdf, name="notice-pdf"),
    path("<str:code>/<int:pk>/qr.<str:fmt>", public.notice_qr, name="notice-qr"),
]

"""Screens of outgoing documents under /outgoing/."""

from __future__ import annotations

from django.urls import path

from vanthu.outgoing.views import circuits
from vanthu.outgoing.views import detail
from vanthu.outgoing.views import drafting
from vanthu.outgoing.views import issuance
from vanthu.outgoing.views import paper
from vanthu.outgoing.views import queues
from vanthu.outgoing.views import register
from vanthu.outgoing.views import review
from vanthu.outgoing.views import signing

app_name = "outgoing"
urlpatterns = [
    path("", queues.queues, name="queues"),
    path("new/", drafting.create, name="create"),
    path("agencies/", drafting.agency_search, name="agency_search"),
    path("reply/<int:document_pk>/", drafting.reply, name="reply"),
    path("paper/", paper.register_paper, name="register_paper"),
    path("circuits/", circuits.circuits, name="circuits"),
    path("register/", register.register, name="register"),
    path("register/<int:pk>/xlsx/", register.register_xlsx, name="register_xlsx"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/edit/", drafting.edit, name="edit"),
    path("<int:pk>/version/", drafting.new_version, name="new_version"),
    path("<int:pk>/comment/", drafting.comment, name="comment"),
    path("<int:pk>/follow-up/<str:kind>/", drafting.follow_up, name="follow_up"),
    path("<int:pk>/submit/", review.submit, name="submit"),
    path("<int:pk>/review/", review.review, name="review"),
    path("<int:pk>/send-back/", review.return_to_drafter, name="return_to_drafter"),
    path("<int:pk>/send-back/previous/", review.return_to_previous, name="return_to_previous"),
    path("<int:pk>/withdraw/", review.withdraw, name="withdraw"),
    path("<int:pk>/sign/", signing.sign, name="sign"),
    path("<int:pk>/sign/<uuid:session_id>/done/", signing.sign_finish, name="sign_finish"),
    path("<int:pk>/issue/", issuance.issue, name="issue"),
    path("<int:pk>/issue/<uuid:session_id>/done/", issuance.issue_finish, name="issue_finish"),
    path("<int:pk>/cancel-issue/", review.cancel_issue, name="cancel_issue"),
    path("<int:pk>/recall/", review.recall, name="recall"),
    path("<int:pk>/recipients/", review.change_recipients, name="change_recipients"),
    path("<int:pk>/copy/", issuance.copy, name="copy"),
]

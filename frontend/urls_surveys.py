"""Respondent pages (open link, invitation, resume) of surveys.
Included in the "frontend" namespace by frontend/urls.py."""

from django.urls import path

from frontend.views import surveys

urlpatterns = [
    path("vragenlijst/<slug:slug>/", surveys.SurveyOpenView.as_view(), name="survey-open"),
    path(
        "vragenlijst/<slug:slug>/uitnodiging/<str:token>/",
        surveys.SurveyInvitationView.as_view(),
        name="survey-invitation",
    ),
    path(
        "vragenlijst/<slug:slug>/verder/<str:token>/",
        surveys.SurveyResumeView.as_view(),
        name="survey-resume",
    ),
    path(
        "vragenlijst/<slug:slug>/pagina/<int:number>/",
        surveys.SurveyPageView.as_view(),
        name="survey-page",
    ),
    path(
        "vragenlijst/<slug:slug>/opgeslagen/",
        surveys.SurveySavedView.as_view(),
        name="survey-saved",
    ),
    path(
        "vragenlijst/<slug:slug>/controleren/",
        surveys.SurveyReviewView.as_view(),
        name="survey-review",
    ),
    path(
        "vragenlijst/<slug:slug>/bedankt/", surveys.SurveyThanksView.as_view(), name="survey-thanks"
    ),
]

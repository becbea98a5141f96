"""Surveys API under /api/v1/surveys/ (see surveys/api/views.py and docs/surveys-api.md)."""

from django.urls import path

from surveys.api import views

app_name = "surveys"

urlpatterns = [
    path("staff/surveys/", views.StaffSurveyListApi.as_view(), name="staff-survey-list"),
    path("staff/trends/", views.StaffIndicatorTrendApi.as_view(), name="staff-indicator-trend"),
    path(
        "staff/surveys/<slug:slug>/results/",
        views.StaffSurveyResultsApi.as_view(),
        name="staff-survey-results",
    ),
    path(
        "staff/surveys/<slug:slug>/response-rates/",
        views.StaffResponseRateApi.as_view(),
        name="staff-response-rates",
    ),
    path("<slug:slug>/", views.SurveyDefinitionApi.as_view(), name="survey-definition"),
    path("<slug:slug>/responses/", views.ResponseStartApi.as_view(), name="response-start"),
    path(
        "<slug:slug>/responses/current/",
        views.ResponseCurrentApi.as_view(),
        name="response-current",
    ),
    path(
        "<slug:slug>/responses/current/submit/",
        views.ResponseSubmitApi.as_view(),
        name="response-submit",
    ),
]

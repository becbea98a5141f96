"""Staff pages for surveys, panels and invitation waves under /beheer/vragenlijsten/.
Included in the "frontend" namespace. Survey ids here are internal integer keys (staff
only); residents see surveys by slug."""

from django.urls import path

from frontend.views import staff_surveys as views
from frontend.views.staff_survey_trends import SurveyTrendView

urlpatterns = [
    path("", views.SurveyListView.as_view(), name="staff-survey-list"),
    path("nieuw/", views.SurveyCreateView.as_view(), name="staff-survey-create"),
    path("sjabloon/", views.SurveyTemplateCreateView.as_view(), name="staff-survey-template"),
    path("trend/", SurveyTrendView.as_view(), name="staff-survey-trend"),
    path("<int:pk>/", views.SurveyDetailView.as_view(), name="staff-survey-detail"),
    path(
        "<int:pk>/onderdelen/nieuw/",
        views.SectionFormView.as_view(),
        name="staff-survey-section-add",
    ),
    path(
        "<int:pk>/onderdelen/<int:section_pk>/",
        views.SectionFormView.as_view(),
        name="staff-survey-section-edit",
    ),
    path(
        "<int:pk>/onderdelen/<int:section_pk>/verplaatsen/",
        views.MoveView.as_view(kind="section"),
        name="staff-survey-section-move",
    ),
    path(
        "<int:pk>/onderdelen/<int:section_pk>/verwijderen/",
        views.DeleteView.as_view(kind="section"),
        name="staff-survey-section-delete",
    ),
    path(
        "<int:pk>/onderdelen/<int:section_pk>/vraag-toevoegen/",
        views.QuestionFormView.as_view(),
        name="staff-survey-question-add",
    ),
    path(
        "<int:pk>/vragen/<int:question_pk>/",
        views.QuestionFormView.as_view(),
        name="staff-survey-question-edit",
    ),
    path(
        "<int:pk>/vragen/<int:question_pk>/verplaatsen/",
        views.MoveView.as_view(kind="question"),
        name="staff-survey-question-move",
    ),
    path(
        "<int:pk>/vragen/<int:question_pk>/verwijderen/",
        views.DeleteView.as_view(kind="question"),
        name="staff-survey-question-delete",
    ),
    path("<int:pk>/voorbeeld/", views.PreviewView.as_view(), name="staff-survey-preview"),
    path("<int:pk>/publiceren/", views.PublishView.as_view(), name="staff-survey-publish"),
    path("<int:pk>/sluiten/", views.CloseView.as_view(), name="staff-survey-close"),
    path(
        "<int:pk>/nieuwe-versie/", views.NewVersionView.as_view(), name="staff-survey-new-version"
    ),
    path("<int:pk>/resultaten/", views.ResultsView.as_view(), name="staff-survey-results"),
    path("<int:pk>/export.csv", views.ExportView.as_view(), name="staff-survey-export"),
    path(
        "<int:pk>/open-antwoorden/",
        views.ModerationView.as_view(),
        name="staff-survey-moderation",
    ),
    path("<int:pk>/uitnodigingen/", views.WavesView.as_view(), name="staff-survey-waves"),
    path(
        "<int:pk>/uitnodigingen/<int:wave_pk>/versturen/",
        views.WaveIssueView.as_view(),
        name="staff-survey-wave-issue",
    ),
]

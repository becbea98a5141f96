"""The veiligheidsplan under /beheer/ivp/. Included in the "frontend" namespace."""

from django.urls import path

from frontend.views import plans as views

urlpatterns = [
    path("", views.PlanListView.as_view(), name="staff-plan-list"),
    path("<uuid:uuid>/", views.PlanDetailView.as_view(), name="staff-plan-detail"),
    path("<uuid:uuid>/bewerken/", views.PlanUpdateView.as_view(), name="staff-plan-update"),
    path("<uuid:uuid>/vaststellen/", views.PlanAdoptView.as_view(), name="staff-plan-adopt"),
    path(
        "<uuid:uuid>/prioriteiten/",
        views.PriorityAddView.as_view(),
        name="staff-plan-priority-add",
    ),
    path(
        "<uuid:uuid>/prioriteiten/<int:pk>/verwijderen/",
        views.PriorityDeleteView.as_view(),
        name="staff-plan-priority-delete",
    ),
    path(
        "<uuid:uuid>/prioriteiten/<int:pk>/doelen/",
        views.GoalAddView.as_view(),
        name="staff-plan-goal-add",
    ),
    path(
        "<uuid:uuid>/doelen/<int:pk>/verwijderen/",
        views.GoalDeleteView.as_view(),
        name="staff-plan-goal-delete",
    ),
    path(
        "<uuid:uuid>/bewijs/meldingen/",
        views.EvidenceFromReportsView.as_view(),
        name="staff-plan-evidence-reports",
    ),
    path(
        "<uuid:uuid>/bewijs/vragenlijst/",
        views.EvidenceFromSurveyView.as_view(),
        name="staff-plan-evidence-survey",
    ),
    path(
        "<uuid:uuid>/bewijs/<uuid:block>/intrekken/",
        views.EvidenceWithdrawView.as_view(),
        name="staff-plan-evidence-withdraw",
    ),
    path(
        "<uuid:uuid>/export.json", views.PlanExportJsonView.as_view(), name="staff-plan-export-json"
    ),
    path("<uuid:uuid>/bijlage/", views.PlanAnnexView.as_view(), name="staff-plan-annex"),
]

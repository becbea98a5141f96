"""Burgerpanel pages: what membership means, sign-up with consent, profile, leaving.
Included in the "frontend" namespace by frontend/urls.py."""

from django.urls import path

from frontend.views import panel

urlpatterns = [
    path("burgerpanel/", panel.PanelInfoView.as_view(), name="panel"),
    path("burgerpanel/mijn/", panel.PanelMembershipView.as_view(), name="panel-membership"),
    path(
        "burgerpanel/mijn/<slug:slug>/gegevens/",
        panel.PanelProfileView.as_view(),
        name="panel-profile",
    ),
    path(
        "burgerpanel/mijn/<slug:slug>/toestemming/",
        panel.PanelConsentView.as_view(),
        name="panel-consent",
    ),
    path(
        "burgerpanel/mijn/<slug:slug>/uitschrijven/",
        panel.PanelLeaveView.as_view(),
        name="panel-leave",
    ),
    path("burgerpanel/uitgeschreven/", panel.PanelLeftView.as_view(), name="panel-left"),
    path("burgerpanel/<slug:slug>/aanmelden/", panel.PanelJoinView.as_view(), name="panel-join"),
]

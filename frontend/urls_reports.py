"""Resident pages for meldingen: filing a report, joining one nearby, tracking by link.
Included in the "frontend" namespace by frontend/urls.py."""

urlpatterns: list = []

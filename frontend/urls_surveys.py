"""Respondent pages (open link, invitation, resume) and burgerpanel sign-up/leave pages.
Included in the "frontend" namespace by frontend/urls.py."""

urlpatterns: list = []

"""Surveys API under /api/v1/surveys/."""

urlpatterns: list = []

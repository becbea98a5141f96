"""Burgerpanel pages: what membership means, sign-up with consent, profile, leaving.
Included in the "frontend" namespace by frontend/urls.py."""

urlpatterns: list = []

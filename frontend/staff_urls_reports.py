"""Back office for meldingen under /beheer/meldingen/. Included in the "frontend" namespace."""

urlpatterns: list = []

"""The public meldingen map and its table view. Included in the "frontend" namespace."""

urlpatterns: list = []

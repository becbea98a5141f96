"""Staff pages for surveys, panels and invitation waves under /beheer/vragenlijsten/.
Included in the "frontend" namespace."""

urlpatterns: list = []

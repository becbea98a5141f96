"""Burgerpanel pages for residents: what membership means, signing up with explicit consent,
and "Mijn burgerpanel" (profile, consent on record, renewed consent, leaving).

Each view authorises, validates a form, calls one participation service or selector and
renders. Staff never see who is in the panel through these pages: a member only ever finds
their own membership (looked up by the signed-in user)."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from core.exceptions import DomainError
from frontend.forms.panel import PanelConsentRenewForm, PanelJoinForm, PanelProfileForm
from participation.exceptions import (
    AlreadyPanelMemberError,
    ConsentTextInvalidError,
    PanelBuurtInvalidError,
)
from participation.models import Burgerpanel, ConsentText, PanelMembership
from participation.selectors import (
    burgerpanel_get_by_slug,
    burgerpanel_list_open,
    consent_text_current,
    consent_text_get,
    panel_buurt_choice_groups,
    panel_buurt_years,
    panel_membership_active,
    panel_membership_consent_outdated,
    panel_membership_get_for_user,
    panel_membership_list_for_user,
    user_has_verified_email,
)
from participation.services import (
    panel_consent_renew,
    panel_join,
    panel_leave,
    panel_membership_profile_update,
)

CONSENT_CHANGED_MESSAGE = _(
    "De toestemmingstekst is intussen gewijzigd. Lees de nieuwe tekst hieronder en geef "
    "opnieuw toestemming als u daarmee akkoord bent."
)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _buurt_map_context(panel: Burgerpanel) -> dict[str, Any]:
    """What the buurt picker (select + map) needs: grouped choices and the area API URLs."""
    area_list_url = reverse("api-v1:geo:area-list")
    return {
        "buurt_groups": panel_buurt_choice_groups(panel=panel),
        "buurt_map_urls": [
            f"{area_list_url}?{urlencode({'level': 'buurt', 'year': year})}"
            for year in panel_buurt_years(panel=panel)
        ],
    }


def _consent_form_data(form: Any, consent_text: ConsentText) -> dict[str, Any]:
    """The submitted values with the consent box cleared and the version of the text now
    shown: after the text changed, consent must be given again for the new text."""
    data = form.data.copy()
    data.pop("consent", None)
    data["consent_version"] = str(consent_text.version)
    return data


class PanelInfoView(TemplateView):
    """/burgerpanel/: what membership means and the panels open for sign-up here."""

    template_name = "frontend/panel/panel_info.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        panels = burgerpanel_list_open(municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE)
        member_of = {m.panel_id for m in panel_membership_list_for_user(user=self.request.user)}
        context["panels"] = [(panel, panel.pk in member_of) for panel in panels]
        context["invitation_valid_days"] = settings.SURVEYS_INVITATION_VALID_DAYS
        context["max_reminders"] = settings.SURVEYS_INVITATION_MAX_REMINDERS
        return context


class PanelJoinView(View):
    """/burgerpanel/<slug>/aanmelden/: sign up with a verified account and explicit consent.

    Without an account, or with an unconfirmed e-mail address, the page explains what to do
    first (with links that return here); a member is sent to "Mijn burgerpanel"."""

    template_name = "frontend/panel/panel_join.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        try:
            self.panel = burgerpanel_get_by_slug(slug=kwargs["slug"])
        except Burgerpanel.DoesNotExist as exc:
            raise Http404 from exc
        self.consent_text = consent_text_current(panel=self.panel)

    def state(self) -> str:
        user = self.request.user
        if not self.panel.is_active or self.consent_text is None:
            return "closed"
        if not user.is_authenticated:
            return "sign_in"
        if not user.has_perm("participation.join_panel"):
            return "verify"
        if panel_membership_active(user=user, panel=self.panel) is not None:
            return "member"
        return "form"

    def render_page(self, state: str, form: PanelJoinForm | None = None) -> HttpResponse:
        path = self.request.get_full_path()
        context: dict[str, Any] = {
            "panel": self.panel,
            "consent_text": self.consent_text,
            "state": state,
            "form": form,
            "login_url": _with_next("account_login", path),
            "signup_url": _with_next("account_signup", path),
        }
        if state == "verify":
            context["email_unverified"] = not user_has_verified_email(user=self.request.user)
            context["primary_email"] = self.request.user.email
        if form is not None:
            context.update(_buurt_map_context(self.panel))
        return render(self.request, self.template_name, context)

    def new_form(self, data: Any = None) -> PanelJoinForm:
        return PanelJoinForm(
            data,
            buurt_groups=panel_buurt_choice_groups(panel=self.panel),
            initial={"consent_version": self.consent_text.version if self.consent_text else 1},
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        state = self.state()
        if state == "member":
            messages.info(request, _("U bent al lid van dit burgerpanel."))
            return redirect("frontend:panel-membership")
        return self.render_page(state, self.new_form() if state == "form" else None)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        state = self.state()
        if state == "sign_in":
            return HttpResponseRedirect(_with_next("account_login", request.get_full_path()))
        if state == "verify":
            raise PermissionDenied
        if state == "member":
            messages.info(request, _("U bent al lid van dit burgerpanel."))
            return redirect("frontend:panel-membership")
        if state == "closed":
            return self.render_page(state)
        form = self.new_form(request.POST)
        if not form.is_valid():
            return self.render_page(state, form)
        try:
            shown_text = consent_text_get(
                panel=self.panel, version=form.cleaned_data["consent_version"]
            )
            panel_join(
                user=request.user,
                panel=self.panel,
                consent_text=shown_text,
                **form.profile(),
            )
        except (ConsentText.DoesNotExist, ConsentTextInvalidError):
            form = self.new_form(_consent_form_data(form, self.consent_text))
            form.is_valid()
            form.add_error(None, CONSENT_CHANGED_MESSAGE)
            return self.render_page(state, form)
        except AlreadyPanelMemberError as error:
            messages.info(request, error.message)
            return redirect("frontend:panel-membership")
        except PanelBuurtInvalidError as error:
            form.add_error("buurt", error.message)
            return self.render_page(state, form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_page(state, form)
        messages.success(
            request,
            _("U bent aangemeld voor %(panel)s. Dank u wel!") % {"panel": self.panel.name},
        )
        return redirect("frontend:panel-membership")


class PanelMembershipView(LoginRequiredMixin, TemplateView):
    """/burgerpanel/mijn/: the member's memberships, consent on record and what they can do."""

    template_name = "frontend/panel/membership_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        memberships = list(panel_membership_list_for_user(user=self.request.user))
        context["memberships"] = [
            (m, panel_membership_consent_outdated(membership=m)) for m in memberships
        ]
        if not memberships:
            context["open_panels"] = burgerpanel_list_open(
                municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE
            )
        return context


class OwnMembershipMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """The signed-in user's active membership of the panel in the URL (404 otherwise)."""

    permission_required = "participation.change_panel_membership"
    raise_exception = False

    def get_permission_object(self) -> PanelMembership:
        if not hasattr(self, "membership"):
            try:
                self.membership = panel_membership_get_for_user(
                    user=self.request.user, panel_slug=self.kwargs["slug"]
                )
            except PanelMembership.DoesNotExist as exc:
                raise Http404 from exc
        return self.membership

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.get_permission_object()
        return super().dispatch(request, *args, **kwargs)


class PanelProfileView(OwnMembershipMixin, View):
    """/burgerpanel/mijn/<slug>/gegevens/: change buurt, age band and sex."""

    template_name = "frontend/panel/membership_profile.html"

    def new_form(self, data: Any = None) -> PanelProfileForm:
        membership = self.membership
        return PanelProfileForm(
            data,
            buurt_groups=panel_buurt_choice_groups(panel=membership.panel),
            initial={
                "buurt": membership.buurt.code if membership.buurt else "",
                "age_band": membership.age_band,
                "sex": membership.sex,
            },
        )

    def render_page(self, form: PanelProfileForm) -> HttpResponse:
        context = {"membership": self.membership, "panel": self.membership.panel, "form": form}
        context.update(_buurt_map_context(self.membership.panel))
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page(self.new_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.new_form(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            panel_membership_profile_update(membership=self.membership, **form.profile())
        except PanelBuurtInvalidError as error:
            form.add_error("buurt", error.message)
            return self.render_page(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_page(form)
        messages.success(request, _("Uw gegevens zijn opgeslagen."))
        return redirect("frontend:panel-membership")


class PanelConsentView(OwnMembershipMixin, View):
    """/burgerpanel/mijn/<slug>/toestemming/: the consent text on record and, when a newer
    version was published, the new text to agree to."""

    template_name = "frontend/panel/membership_consent.html"

    def render_page(self, form: PanelConsentRenewForm | None) -> HttpResponse:
        context = {
            "membership": self.membership,
            "panel": self.membership.panel,
            "new_text": self.new_text,
            "form": form,
        }
        return render(self.request, self.template_name, context)

    def new_form(self, data: Any = None) -> PanelConsentRenewForm | None:
        if self.new_text is None:
            return None
        return PanelConsentRenewForm(data, initial={"consent_version": self.new_text.version})

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.new_text = panel_membership_consent_outdated(membership=self.membership)
        return self.render_page(self.new_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.new_text = panel_membership_consent_outdated(membership=self.membership)
        form = self.new_form(request.POST)
        if form is None:
            messages.info(request, _("U heeft al toestemming gegeven voor de geldende tekst."))
            return redirect("frontend:panel-membership")
        if not form.is_valid():
            return self.render_page(form)
        try:
            shown_text = consent_text_get(
                panel=self.membership.panel, version=form.cleaned_data["consent_version"]
            )
            panel_consent_renew(membership=self.membership, consent_text=shown_text)
        except (ConsentText.DoesNotExist, ConsentTextInvalidError):
            form = self.new_form(_consent_form_data(form, self.new_text))
            form.is_valid()
            form.add_error(None, CONSENT_CHANGED_MESSAGE)
            return self.render_page(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_page(form)
        messages.success(
            request,
            _("Dank u wel. Uw toestemming voor versie %(version)s is vastgelegd.")
            % {"version": self.new_text.version},
        )
        return redirect("frontend:panel-membership")


class PanelLeaveView(OwnMembershipMixin, View):
    """/burgerpanel/mijn/<slug>/uitschrijven/: confirm, then withdraw consent and erase."""

    template_name = "frontend/panel/membership_leave.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = {"membership": self.membership, "panel": self.membership.panel}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        panel_name = self.membership.panel.name
        try:
            panel_leave(membership=self.membership)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("frontend:panel-membership")
        request.session["panel_left"] = panel_name
        return redirect("frontend:panel-left")


class PanelLeftView(TemplateView):
    """/burgerpanel/uitgeschreven/: confirmation after leaving (the panel name is taken from
    the session once; on a later visit the page speaks generally)."""

    template_name = "frontend/panel/panel_left.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["panel_name"] = self.request.session.pop("panel_left", "")
        return context

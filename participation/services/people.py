"""Write use cases for accounts, roles, wijkraden and the burgerpanel.

Authorisation ("who may do this") is checked by the caller through the rules in
`participation.rules`; the services enforce the state conditions and invariants.
"""

import logging
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from geo.codes import AreaLevel
from geo.models import Area
from participation.exceptions import (
    AlreadyPanelMemberError,
    AlreadyWijkraadMemberError,
    ConsentTextInvalidError,
    ConsentTextPublishedError,
    EmailInUseError,
    EmailNotVerifiedError,
    InactiveAccountError,
    LastAdministratorError,
    MembershipWithdrawnError,
    PanelBuurtInvalidError,
    PanelClosedError,
    RoleAlreadyGrantedError,
    RoleNotGrantedError,
    UnknownRoleError,
    WijkraadAreaInvalidError,
)
from participation.models import (
    Burgerpanel,
    ConsentText,
    PanelMembership,
    User,
    Wijkraad,
    WijkraadMembership,
)
from participation.roles import (
    ADMINISTRATOR,
    ROLE_DEFINITIONS,
    RoleDefinition,
)
from participation.selectors import (
    consent_text_current,
    panel_membership_active,
    role_member_count,
    user_has_verified_email,
)

logger = logging.getLogger("participation.services")
audit_logger = logging.getLogger("buurtstem.audit")

# --- Accounts -------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    display_name: str = "",
    email_verified: bool = False,
) -> User:
    """Create an account and its allauth e-mail address (primary). The password must pass
    AUTH_PASSWORD_VALIDATORS (ValidationError otherwise); with `password=None` the account
    has an unusable password until a password reset."""
    email = User.objects.normalize_email(email.strip()).lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise EmailInUseError()
    user = User(email=email, display_name=display_name)
    if password is None:
        user.set_unusable_password()
    else:
        password_validation.validate_password(password, user)
        user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=email_verified, primary=True)
    return user


# --- Roles ----------------------------------------------------------------------------------


def _capability_permissions(definition: RoleDefinition) -> list[Permission]:
    """The capability permissions of a role, created when missing (they are declared on
    User.Meta.permissions; auth's own post_migrate handler normally creates them first)."""
    content_type = ContentType.objects.get_for_model(User, for_concrete_model=True)
    declared = dict(User._meta.permissions)
    permissions = []
    for codename in definition.capabilities:
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": str(declared[codename])[:255]},
        )
        permissions.append(permission)
    return permissions


@transaction.atomic
def roles_sync() -> list[Group]:
    """Create the staff role groups and set their capability permissions exactly as in
    ROLE_DEFINITIONS. Idempotent; runs after every `migrate`."""
    groups = []
    for definition in ROLE_DEFINITIONS.values():
        group, created = Group.objects.get_or_create(name=definition.group_name)
        wanted = _capability_permissions(definition)
        current = set(group.permissions.values_list("pk", flat=True))
        if created or current != {p.pk for p in wanted}:
            group.permissions.set(wanted)
            logger.info("Role group %s synced (%s)", definition.group_name, definition.key)
        groups.append(group)
    return groups


def _role_group(role_key: str) -> Group:
    definition = ROLE_DEFINITIONS.get(role_key)
    if definition is None:
        raise UnknownRoleError(extra={"role": role_key})
    group = Group.objects.filter(name=definition.group_name).first()
    if group is None:
        roles_sync()
        group = Group.objects.get(name=definition.group_name)
    return group


def _forget_cached_permissions(user: User) -> None:
    # ModelBackend caches permissions on the instance; the grant must show immediately.
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)


@transaction.atomic
def user_role_grant(*, user: User, role_key: str, granted_by: User | None) -> None:
    """Give a user a staff role. `granted_by` is recorded in the audit log (None for
    system actions such as the demo seed)."""
    group = _role_group(role_key)
    locked = User.objects.select_for_update().get(pk=user.pk)  # serialise grants per user
    if not locked.is_active:
        raise InactiveAccountError()
    if user.groups.filter(pk=group.pk).exists():
        raise RoleAlreadyGrantedError(extra={"role": role_key})
    user.groups.add(group)
    _forget_cached_permissions(user)
    audit_logger.info(
        "role granted: role=%s user=%s by=%s",
        role_key,
        user.uuid,
        granted_by.uuid if granted_by else "system",
    )


@transaction.atomic
def user_role_revoke(*, user: User, role_key: str, revoked_by: User | None) -> None:
    """Take a staff role away. The last active administrator cannot lose that role, so the
    platform always keeps someone who can manage roles."""
    group = _role_group(role_key)
    # Serialise concurrent revocations of the administrator role (last-admin check).
    list(
        User.objects.select_for_update(of=("self",))
        .filter(groups=group)
        .values_list("pk", flat=True)
    )
    if not user.groups.filter(pk=group.pk).exists():
        raise RoleNotGrantedError(extra={"role": role_key})
    if role_key == ADMINISTRATOR and user.is_active and role_member_count(role_key=role_key) <= 1:
        raise LastAdministratorError()
    user.groups.remove(group)
    _forget_cached_permissions(user)
    audit_logger.info(
        "role revoked: role=%s user=%s by=%s",
        role_key,
        user.uuid,
        revoked_by.uuid if revoked_by else "system",
    )


# --- Wijkraden ------------------------------------------------------------------------------


def _wijkraad_areas_check(areas: Iterable[Area]) -> list[Area]:
    areas = list(areas)
    for area in areas:
        if area.level not in (AreaLevel.WIJK, AreaLevel.BUURT):
            raise WijkraadAreaInvalidError(extra={"area": area.code})
    return areas


@transaction.atomic
def wijkraad_create(*, name: str, slug: str, areas: Iterable[Area] = ()) -> Wijkraad:
    areas = _wijkraad_areas_check(areas)
    wijkraad = Wijkraad(name=name, slug=slug)
    wijkraad.full_clean()
    wijkraad.save()
    wijkraad.areas.set(areas)
    return wijkraad


@transaction.atomic
def wijkraad_areas_set(*, wijkraad: Wijkraad, areas: Iterable[Area]) -> Wijkraad:
    wijkraad.areas.set(_wijkraad_areas_check(areas))
    return wijkraad


@transaction.atomic
def wijkraad_member_add(
    *, wijkraad: Wijkraad, user: User, role: str = WijkraadMembership.Role.LID
) -> WijkraadMembership:
    if not user.is_active:
        raise InactiveAccountError()
    if WijkraadMembership.objects.filter(wijkraad=wijkraad, user=user).exists():
        raise AlreadyWijkraadMemberError()
    membership = WijkraadMembership(wijkraad=wijkraad, user=user, role=role)
    membership.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:  # a concurrent add won the race
        raise AlreadyWijkraadMemberError() from exc
    return membership


@transaction.atomic
def wijkraad_member_remove(*, membership: WijkraadMembership) -> None:
    membership.delete()


# --- Burgerpanel ----------------------------------------------------------------------------


@transaction.atomic
def burgerpanel_create(*, name: str, slug: str, municipality_codes: list[str]) -> Burgerpanel:
    panel = Burgerpanel(name=name, slug=slug, municipality_codes=list(municipality_codes))
    panel.full_clean()
    panel.save()
    return panel


@transaction.atomic
def consent_text_create(*, panel: Burgerpanel, body: str) -> ConsentText:
    """A new draft version (the next version number) of the panel's consent text."""
    Burgerpanel.objects.select_for_update().filter(pk=panel.pk).first()
    last = panel.consent_texts.order_by("-version").values_list("version", flat=True).first()
    text = ConsentText(panel=panel, version=(last or 0) + 1, body=body)
    text.full_clean()
    text.save()
    return text


@transaction.atomic
def consent_text_update(*, consent_text: ConsentText, body: str) -> ConsentText:
    """Edit a draft; published texts are immutable (memberships refer to them)."""
    consent_text = ConsentText.objects.select_for_update().get(pk=consent_text.pk)
    if consent_text.is_published:
        raise ConsentTextPublishedError()
    consent_text.body = body
    consent_text.full_clean()
    consent_text.save(update_fields=["body", "updated_at"])
    return consent_text


@transaction.atomic
def consent_text_publish(*, consent_text: ConsentText) -> ConsentText:
    """Publish a draft; from now on new members consent to this version."""
    consent_text = ConsentText.objects.select_for_update().get(pk=consent_text.pk)
    if consent_text.is_published:
        raise ConsentTextPublishedError()
    consent_text.published_at = timezone.now()
    consent_text.save(update_fields=["published_at", "updated_at"])
    return consent_text


@transaction.atomic
def panel_join(
    *,
    user: User,
    panel: Burgerpanel,
    buurt: Area | None,
    age_band: str,
    sex: str,
    consent_text: ConsentText,
) -> PanelMembership:
    """Enrol a resident in a burgerpanel with explicit consent to the current consent text.

    Requires an active account with a verified e-mail address (panel members are invited by
    e-mail), an open panel and the panel's current published consent text; a user has at
    most one active membership per panel. `buurt` must be a buurt in the panel's
    municipalities (None: the member did not say).
    """
    if not user.is_active:
        raise InactiveAccountError()
    if not user_has_verified_email(user=user):
        raise EmailNotVerifiedError()
    panel = Burgerpanel.objects.select_for_update().get(pk=panel.pk)
    if not panel.is_active:
        raise PanelClosedError()
    current = consent_text_current(panel=panel)
    if current is None or consent_text.pk != current.pk:
        raise ConsentTextInvalidError(
            extra={"current_version": current.version if current else None}
        )
    if buurt is not None and (buurt.level != AreaLevel.BUURT or not panel.covers_buurt(buurt)):
        raise PanelBuurtInvalidError(extra={"buurt": buurt.code})
    if panel_membership_active(user=user, panel=panel) is not None:
        raise AlreadyPanelMemberError()
    membership = PanelMembership(
        user=user,
        panel=panel,
        buurt=buurt,
        age_band=age_band,
        sex=sex,
        consent_text=current,
        consented_at=timezone.now(),
    )
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:  # a concurrent join won the race
        raise AlreadyPanelMemberError() from exc
    return membership


@transaction.atomic
def panel_leave(*, membership: PanelMembership) -> PanelMembership:
    """Withdraw consent: record the withdrawal and erase the personal data (user link,
    buurt, age band, sex). What remains is an anonymous record that consent to a given text
    was given and withdrawn; survey responses never point back to the person."""
    membership = PanelMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.withdrawn_at is not None:
        raise MembershipWithdrawnError()
    membership.withdrawn_at = timezone.now()
    membership.user = None
    membership.buurt = None
    membership.age_band = ""
    membership.sex = ""
    membership.save(
        update_fields=["withdrawn_at", "user", "buurt", "age_band", "sex", "updated_at"]
    )
    return membership


def _membership_lock_active(membership: PanelMembership) -> PanelMembership:
    membership = (
        PanelMembership.objects.select_for_update()
        .select_related("panel", "consent_text")
        .get(pk=membership.pk)
    )
    if membership.withdrawn_at is not None:
        raise MembershipWithdrawnError()
    return membership


@transaction.atomic
def panel_membership_profile_update(
    *, membership: PanelMembership, buurt: Area | None, age_band: str, sex: str
) -> PanelMembership:
    """Change a member's buurt, age band and sex (the same rules as when joining)."""
    membership = _membership_lock_active(membership)
    if buurt is not None and (
        buurt.level != AreaLevel.BUURT or not membership.panel.covers_buurt(buurt)
    ):
        raise PanelBuurtInvalidError(extra={"buurt": buurt.code})
    membership.buurt = buurt
    membership.age_band = age_band
    membership.sex = sex
    membership.full_clean(validate_constraints=False)
    membership.save(update_fields=["buurt", "age_band", "sex", "updated_at"])
    return membership


@transaction.atomic
def panel_consent_renew(
    *, membership: PanelMembership, consent_text: ConsentText
) -> PanelMembership:
    """Record that a member agreed to the panel's current consent text (after a new version
    was published): the membership then refers to that version and the moment of agreeing.
    The version agreed to before is written to the audit log (no personal data). Agreeing
    again to the version already on record changes nothing."""
    membership = _membership_lock_active(membership)
    current = consent_text_current(panel=membership.panel)
    if current is None or consent_text.pk != current.pk:
        raise ConsentTextInvalidError(
            extra={"current_version": current.version if current else None}
        )
    if membership.consent_text_id == current.pk:
        return membership
    previous_version = membership.consent_text.version
    membership.consent_text = current
    membership.consented_at = timezone.now()
    membership.save(update_fields=["consent_text", "consented_at", "updated_at"])
    audit_logger.info(
        "panel consent renewed: panel=%s membership=%s from_version=%s to_version=%s",
        membership.panel.slug,
        membership.pk,
        previous_version,
        current.version,
    )
    return membership

"""The post_migrate handler that keeps the role groups in step with participation.roles."""

import pytest
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.models import Group

from participation.receivers import roles_sync_after_migrate
from participation.roles import ROLE_DEFINITIONS

pytestmark = pytest.mark.django_db

GROUP_NAMES = [d.group_name for d in ROLE_DEFINITIONS.values()]


def test_handler_recreates_the_role_groups():
    Group.objects.filter(name__in=GROUP_NAMES).delete()
    roles_sync_after_migrate(global_apps.get_app_config("participation"), apps=global_apps)
    assert Group.objects.filter(name__in=GROUP_NAMES).count() == len(GROUP_NAMES)


def test_handler_does_nothing_when_the_models_are_migrated_away():
    Group.objects.filter(name__in=GROUP_NAMES).delete()
    roles_sync_after_migrate(global_apps.get_app_config("participation"), apps=Apps())
    assert not Group.objects.filter(name__in=GROUP_NAMES).exists()


def test_handler_only_syncs_the_default_database():
    Group.objects.filter(name__in=GROUP_NAMES).delete()
    roles_sync_after_migrate(
        global_apps.get_app_config("participation"), apps=global_apps, using="other"
    )
    assert not Group.objects.filter(name__in=GROUP_NAMES).exists()

"""Open311 API keys: created once, stored hashed, verified by hash; the management command."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.exceptions import Open311KeyInvalidError
from reports.models import Open311Client
from reports.open311_keys import open311_client_create, open311_client_for_key, open311_key_hash

pytestmark = pytest.mark.django_db


def test_create_stores_only_the_hash_and_a_prefix():
    # given / when
    created = open311_client_create(name="Koppeling A")

    # then
    client = Open311Client.objects.get()
    assert created.api_key.startswith("bs311_")
    assert len(created.api_key) >= 40
    assert client.key_hash == open311_key_hash(created.api_key)
    assert created.api_key not in (client.key_hash, client.key_prefix, client.name)
    assert created.api_key.removeprefix("bs311_").startswith(client.key_prefix)
    assert len(client.key_prefix) == 8


def test_every_key_is_different():
    # given / when
    keys = {open311_client_create(name=f"K{i}").api_key for i in range(5)}

    # then
    assert len(keys) == 5


def test_for_key_returns_the_active_client():
    # given
    created = open311_client_create(name="Koppeling B")

    # when / then
    assert open311_client_for_key(key=created.api_key) == created.client


@pytest.mark.parametrize("key", [None, "", "bs311_verkeerd", "x" * 500])
def test_for_key_refuses_unknown_keys(key):
    # given
    open311_client_create(name="Koppeling C")

    # when / then
    with pytest.raises(Open311KeyInvalidError) as info:
        open311_client_for_key(key=key)
    assert (info.value.code, info.value.http_status) == ("api_key_invalid", 403)


def test_for_key_refuses_an_inactive_client():
    # given
    created = open311_client_create(name="Koppeling D")
    Open311Client.objects.update(is_active=False)

    # when / then
    with pytest.raises(Open311KeyInvalidError):
        open311_client_for_key(key=created.api_key)


@pytest.mark.parametrize("name", ["", "   ", "x" * 151])
def test_create_refuses_an_empty_or_too_long_name(name):
    with pytest.raises(ValueError, match="name"):
        open311_client_create(name=name)


def test_command_prints_a_key_that_works():
    # given
    out = io.StringIO()

    # when
    call_command("open311_client_create", "Gemeentelijke app", stdout=out)

    # then
    key = out.getvalue().strip().splitlines()[-1]
    assert open311_client_for_key(key=key).name == "Gemeentelijke app"


def test_command_fails_for_an_empty_name():
    with pytest.raises(CommandError):
        call_command("open311_client_create", " ", stdout=io.StringIO())

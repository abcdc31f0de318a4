"""A production app refuses to start with any development default (core.config.PRODUCTION_RULES)."""

from __future__ import annotations

import pytest

from core import create_app
from core.config import DEV_SECRET_KEY, PRODUCTION_RULES, ConfigError, check, from_environment
from tests.fixtures import TEST_KEYS, make_app


@pytest.mark.parametrize("rule", PRODUCTION_RULES, ids=lambda rule: rule.setting)
def test_production_app_refuses_each_development_default(database_url, rule):
    with pytest.raises(ConfigError, match=rule.setting):
        make_app(database_url, **{rule.setting: rule.development_value})


@pytest.mark.parametrize("rule", PRODUCTION_RULES, ids=lambda rule: rule.setting)
def test_the_same_setting_is_accepted_outside_production(rule):
    check({rule.setting: rule.development_value, "PRODUCTION": False})


def test_production_from_a_bare_environment_lists_every_development_default():
    config = from_environment({"CHARITY_ENV": "production"})
    assert config["PRODUCTION"] and config["SECRET_KEY"] == DEV_SECRET_KEY
    with pytest.raises(ConfigError) as refused:
        create_app({**config, "DEBUG": True})
    for rule in PRODUCTION_RULES:
        assert rule.setting in str(refused.value)


def test_production_environment_with_private_keys_is_accepted(database_url):
    env = {
        "CHARITY_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_KEYS["SECRET_KEY"],
        "ID_ENCRYPTION_KEYS": ",".join(TEST_KEYS["ID_ENCRYPTION_KEYS"]),
        "ID_HMAC_KEY": TEST_KEYS["ID_HMAC_KEY"],
        "RLS_KEY": TEST_KEYS["RLS_KEY"],
        "AUDIT_HMAC_KEY": TEST_KEYS["AUDIT_HMAC_KEY"],
        "PUBLIC_URL": TEST_KEYS["PUBLIC_URL"],
    }
    config = from_environment(env)
    assert config["PRODUCTION"]
    check(config)


def test_the_suite_runs_the_production_configuration(app):
    assert app.config["PRODUCTION"]
    assert app.config["WTF_CSRF_ENABLED"] is not False and app.config["RATELIMIT_ENABLED"]
    check(app.config)


@pytest.mark.parametrize(
    ("value", "seconds"), [(None, 10.0), ("0", 0.0), ("2.5", 2.5), ("", None), ("  ", None)]
)
def test_the_idle_time_before_a_pooled_connection_is_tried_is_read_in_seconds(value, seconds):
    env = {} if value is None else {"DATABASE_PING_AFTER_IDLE_SECONDS": value}
    assert from_environment(env)["DATABASE_PING_AFTER_IDLE_SECONDS"] == seconds


@pytest.mark.parametrize("value", ["ten", "-1", "nan", "inf"])
def test_an_idle_time_that_is_not_seconds_stops_start_up_naming_the_setting(value):
    with pytest.raises(ConfigError, match="DATABASE_PING_AFTER_IDLE_SECONDS"):
        from_environment({"DATABASE_PING_AFTER_IDLE_SECONDS": value})

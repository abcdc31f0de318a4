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

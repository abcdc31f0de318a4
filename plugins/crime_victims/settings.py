"""The plugin's tenant settings (the platform admin's plugin settings page)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from .i18n import _l


class SettingsSchema(Schema):
    class Meta:
        unknown = "raise"

    partner_link_days = fields.Integer(
        load_default=14,
        validate=validate.Range(min=1, max=365),
        metadata={
            "label": _l("Days a partner's link to a referral stays usable"),
            "description": _l(
                "Counted from the day the link is issued; the last day still works. A link also "
                "ends when its referral is completed or declined."
            ),
            "unit": _l("days"),
        },
    )

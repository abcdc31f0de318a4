"""Words for the supporters' codes (registered through ``register_labels``)."""

from __future__ import annotations

from ..i18n import lazy_gettext as _l

KIND_LABELS = {
    "individual": _l("Individual"),
    "company": _l("Company"),
    "foundation": _l("Foundation"),
    "government": _l("Government body"),
}
STAGE_LABELS = {
    "prospect": _l("Potential supporter"),
    "contacted": _l("Contacted"),
    "pledged": _l("Pledged"),
    "active": _l("Active"),
    "lapsed": _l("Lapsed"),
}
CHANNEL_LABELS = {
    "phone": _l("Phone call"),
    "sms": _l("Text message"),
    "email": _l("E-mail"),
    "whatsapp": _l("WhatsApp"),
    "letter": _l("Letter"),
    "visit": _l("Visit"),
}
DONATION_KIND_LABELS = {"cash": _l("Cash"), "in_kind": _l("In kind")}
METHOD_LABELS = {
    "cash": _l("Cash"),
    "bank_transfer": _l("Bank transfer"),
    "cheque": _l("Cheque"),
    "card": _l("Card"),
    "in_kind": _l("Goods in kind"),
}
AGREEMENT_KIND_LABELS = {
    "agreement": _l("Agreement"),
    "partnership": _l("Partnership contract"),
    "sponsorship": _l("Sponsorship"),
}
# The aid catalog's seasons, as campaigns a gift can be restricted to.
CAMPAIGN_LABELS = {
    "school_bag": _l("School bag campaign"),
    "ramadan_basket": _l("Ramadan basket campaign"),
    "iftar": _l("Iftar campaign"),
    "zakat_al_fitr": _l("Zakat al-Fitr campaign"),
    "eid_clothing": _l("Eid clothing campaign"),
    "udhiya": _l("Udhiya campaign"),
    "winter_clothing": _l("Winter clothing campaign"),
}
AUDIT_ACTIONS = {
    "supporter.create": _l("Supporter recorded"),
    "supporter.update": _l("Supporter updated"),
    "supporter.stage": _l("Supporter moved in the pipeline"),
    "supporter.contact": _l("Supporter contacted"),
    "supporter.donation": _l("Donation recorded (receipt issued)"),
    "supporter.agreement": _l("Agreement with a supporter recorded"),
    "supporter.agreement_file": _l("Agreement file attached"),
    "supporter.agreement_download": _l("Agreement file downloaded"),
    "supporter.pledge": _l("Pledge recorded"),
    "supporter.export": _l("Donations exported"),
    "supporter.report": _l("Supporter's report produced"),
}
AUDIT_OBJECTS = {
    "supporter": _l("Supporter"),
    "donation": _l("Donation"),
    "agreement": _l("Agreement"),
    "pledge": _l("Pledge"),
}
LABELS = {
    "audit_action": AUDIT_ACTIONS,
    "audit_object": AUDIT_OBJECTS,
    "supporter_kind": KIND_LABELS,
    "supporter_stage": STAGE_LABELS,
    "contact_channel": CHANNEL_LABELS,
    "donation_kind": DONATION_KIND_LABELS,
    "donation_method": METHOD_LABELS,
    "agreement_kind": AGREEMENT_KIND_LABELS,
    "campaign": CAMPAIGN_LABELS,
}

"""The plugin's case pages (``/t/<tenant>/makkah_aid/…``): a file's circumstances and category
facts, the services by relief domain and the providers (bank details to finance only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from core.toolkit import (
    BeneficiaryFile,
    CatalogItem,
    Document,
    FormOutcome,
    Household,
    can,
    db,
    form_transaction,
    get_in_tenant,
    get_or_404,
    parse_int,
    require,
)

from . import services
from .i18n import _
from .models import Circumstance, Provider
from .settings import DOMAIN_LABELS
from .views import _date, bp

FACT_FIELDS = (
    "father_deceased",
    "mother_deceased",
    "supported_by_relative",
    "unable_to_work",
    "breadwinner_imprisoned",
)


@bp.route("/files/<int:file_id>/case", methods=["GET", "POST"])
@require("makkah_aid.view")
def case_page(file_id):
    """The category against its facts, the facts the category rules use, the circumstances."""
    file = get_or_404(BeneficiaryFile, file_id)
    errors: dict = {}
    outcome = FormOutcome()
    form = request.form
    if request.method == "POST":
        if not can(current_user, "makkah_aid.circumstances"):
            abort(403)
        action = form.get("action")
        with form_transaction() as outcome:
            if action == "facts":
                data = {key: form.get(key) == "on" for key in FACT_FIELDS}
                data["unable_to_work_reason"] = (form.get("unable_to_work_reason") or "").strip()
                services.update_category_facts(file, data, current_user)
                done = _("The category facts were saved.")
            elif action == "end":
                circumstance = get_or_404(
                    Circumstance, parse_int(form.get("circumstance_id", "0")), file_id=file.id
                )
                services.end_circumstance(circumstance, current_user, form.get("note", ""))
                done = _("The circumstance was ended.")
            else:
                occurred_on = _date(form, "occurred_on", errors)
                upload = request.files.get("document")
                content = upload.read() if upload else b""
                if errors:
                    raise ValidationError(errors)
                services.record_circumstance(
                    file,
                    {
                        "kind": form.get("kind", ""),
                        "description": form.get("description", ""),
                        "occurred_on": occurred_on,
                        "document_id": parse_int(form["document_id"]) if form.get("document_id") else None,
                    },
                    current_user,
                    upload=content or None,
                    filename=upload.filename if upload else None,
                )
                done = _("The circumstance was recorded with its supporting document.")
        if outcome.ok:
            flash(done, "success")
            return redirect(url_for(".case_page", file_id=file.id))
    household = get_in_tenant(Household, file.household_id)
    documents = list(
        db.session.scalars(
            db.select(Document).where(Document.household_id == file.household_id).order_by(Document.id.desc())
        )
    )
    return render_template(
        "makkah_aid/case.html",
        file=file,
        household=household,
        check=services.category_check(file),
        problem_labels=services.problem_labels,
        facts=(file.extra or {}).get(services.PLUGIN_ID) or {},
        circumstances=services.circumstances_of(file, in_force_only=False),
        kinds=services.settings()["circumstances"],
        circumstance_label=services.circumstance_label,
        documents=documents,
        errors=outcome.errors,
        form=form,
        fact_fields=FACT_FIELDS,
    ), outcome.status


# --------------------------------------------------------------------------- services and providers


def _provider_data(form, errors: dict) -> dict:
    data = {
        "name": form.get("name", ""),
        "catalog_item_id": parse_int(form["catalog_item_id"]) if form.get("catalog_item_id") else None,
        "phone": form.get("phone", ""),
        "contract_reference": form.get("contract_reference", ""),
        "contract_ends_on": _date(form, "contract_ends_on", errors),
        "notes": form.get("notes", ""),
    }
    if "active" in form or form.get("action") == "edit":
        data["active"] = form.get("active") == "on"
    if services.may_see_bank(current_user):
        data.update({k: form.get(k, "") for k in ("bank_name", "iban", "account_holder")})
    return data


@bp.route("/providers", methods=["GET", "POST"])
@require("makkah_aid.view")
def providers_page():
    """The services by relief domain, the providers and a form to add one."""
    outcome = FormOutcome()
    form = request.form
    if request.method == "POST":
        if not can(current_user, "makkah_aid.providers"):
            abort(403)
        errors: dict = {}
        with form_transaction() as outcome:
            data = _provider_data(form, errors)
            if errors:
                raise ValidationError(errors)
            upload = request.files.get("contract")
            content = upload.read() if upload else b""
            provider = services.save_provider(
                data,
                current_user,
                contract=content or None,
                contract_filename=upload.filename if upload else None,
            )
        if outcome.ok:
            flash(_("Provider added: %(name)s.", name=provider.name), "success")
            return redirect(url_for(".providers_page"))
    items = list(db.session.scalars(db.select(CatalogItem).where(CatalogItem.active.is_(True))))
    return render_template(
        "makkah_aid/providers.html",
        domains=services.services_by_domain(),
        domain_labels=DOMAIN_LABELS,
        providers=[services.provider_view(p, current_user) for p in services.providers()],
        items=items,
        may_manage=can(current_user, "makkah_aid.providers"),
        may_see_bank=services.may_see_bank(current_user),
        today=services.today(),
        errors=outcome.errors,
        form=form,
    ), outcome.status


@bp.route("/providers/<int:provider_id>", methods=["GET", "POST"])
@require("makkah_aid.view")
def provider_page(provider_id):
    provider = get_or_404(Provider, provider_id)
    outcome = FormOutcome()
    form = request.form
    if request.method == "POST":
        if not (can(current_user, "makkah_aid.providers") or services.may_see_bank(current_user)):
            abort(403)
        errors: dict = {}
        with form_transaction() as outcome:
            if can(current_user, "makkah_aid.providers"):
                data = _provider_data(form, errors)
            else:  # finance records the bank details only
                data = {k: form.get(k, "") for k in ("bank_name", "iban", "account_holder")}
            if errors:
                raise ValidationError(errors)
            upload = request.files.get("contract")
            content = upload.read() if upload else b""
            services.save_provider(
                data,
                current_user,
                provider,
                contract=content or None,
                contract_filename=upload.filename if upload else None,
            )
        if outcome.ok:
            flash(_("Provider saved: %(name)s.", name=provider.name), "success")
            return redirect(url_for(".provider_page", provider_id=provider.id))
    items = list(db.session.scalars(db.select(CatalogItem).where(CatalogItem.active.is_(True))))
    return render_template(
        "makkah_aid/provider.html",
        provider=provider,
        view=services.provider_view(provider, current_user),
        deliveries=services.deliveries_of(provider),
        domain_labels=DOMAIN_LABELS,
        items=items,
        may_manage=can(current_user, "makkah_aid.providers"),
        may_see_bank=services.may_see_bank(current_user),
        errors=outcome.errors,
        form=form,
    ), outcome.status


@bp.route("/providers/<int:provider_id>/contract")
@require("makkah_aid.view")
def provider_contract(provider_id):
    """The provider's contract document (audited)."""
    return services.CONTRACT.download(get_or_404(Provider, provider_id), current_user)

"""The staff inbox: the in-app messages of the logged-in member of staff in this association,
newest first, unread ones marked; opening one marks it read, and all can be marked read."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import require
from ..extensions import db
from ..i18n import current_language
from ..i18n import gettext as _
from ..lookup import get_or_404
from ..pagination import Paged, page_number
from . import services
from .models import OutboxMessage

bp = Blueprint("notifications", __name__, template_folder="templates")
PER_PAGE = 50


@bp.route("/")
@require("tenant.staff")
def inbox():
    page = page_number()
    unread_only = request.args.get("unread") == "1"
    messages, total = services.inbox_page(current_user, page=page, per_page=PER_PAGE, unread_only=unread_only)
    language = current_language()
    return render_template(
        "notifications/inbox.html",
        # each message in the reader's language when its values were kept (as the portal's inbox)
        messages=[(message, *services.message_text(message, language)) for message in messages],
        total=total,
        paged=Paged(total=total, page=page, per_page=PER_PAGE),
        unread_only=unread_only,
    )


@bp.route("/<int:message_id>/open", methods=["POST"])
@require("tenant.staff")
def open_message(message_id):
    """Mark the message read and go to the page it is about (else back to the inbox)."""
    message = get_or_404(OutboxMessage, message_id, user_id=current_user.id, channel="in_app")
    services.mark_read(current_user, message.id)
    db.session.commit()
    return redirect(services.local_link(message) or url_for(".inbox"))


@bp.route("/read", methods=["POST"])
@require("tenant.staff")
def mark_all_read():
    changed = services.mark_read(current_user)
    db.session.commit()
    flash(_("Messages marked as read: %(num)d.", num=changed), "success")
    return redirect(url_for(".inbox"))

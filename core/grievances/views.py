from flask import Blueprint
bp = Blueprint("grievances", __name__, template_folder="templates")
portal_bp = Blueprint("grievances_portal", __name__, template_folder="templates")

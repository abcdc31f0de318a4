from flask import Blueprint

bp = Blueprint("supporters", __name__, template_folder="templates")

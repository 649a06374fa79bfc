"""/workbench (工作台): where people land after login, one page per role."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from catalog_app.accounts.decorators import login_required
from catalog_app.moderation.labels import action_label, object_type_label
from catalog_app.workbench.services import workbench_for

bp = Blueprint("workbench", __name__, url_prefix="/workbench")


@bp.get("")
@login_required
def index():
    role, workbench = workbench_for(current_user)
    return render_template(f"workbench/{role}.html", workbench=workbench, role=role,
                           action_label=action_label, object_type_label=object_type_label)

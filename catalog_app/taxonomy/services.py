"""Loading the reference taxonomy from the data modules into the database.

Upsert by code/slug so the command can run on every start: new terms appear, renamed
terms are updated, and ids (which listings refer to) never change.
"""
from __future__ import annotations

from sqlalchemy import select

from catalog_app.extensions import db
from catalog_app.models import Industry, Region, Scenario, ScenarioStage, Technology
from catalog_app.taxonomy.data import industries, regions, scenarios, technologies


def _upsert(model, key: str, rows, columns) -> dict[str, object]:
    existing = {getattr(obj, key): obj for obj in db.session.scalars(select(model))}
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            obj = model(**{key: row[key]})
            db.session.add(obj)
            existing[row[key]] = obj
        for column in columns:
            setattr(obj, column, row[column])
    db.session.flush()
    return existing


def _upsert_tree(model, rows, columns) -> None:
    by_code = _upsert(model, "code", rows, columns)
    for row in rows:
        parent = by_code.get(row["parent"]) if row.get("parent") else None
        by_code[row["code"]].parent_id = parent.id if parent is not None else None
    db.session.flush()


def load_taxonomy() -> dict[str, int]:
    """Insert or update every taxonomy term; returns the count per vocabulary.

    :returns: mapping of vocabulary name to the number of terms now loaded.
    """
    _upsert_tree(Industry, industries.INDUSTRIES, ("name_zh", "name_en", "is_pillar"))
    _upsert_tree(Region, regions.REGIONS, ("name_zh", "name_en", "level"))
    stages = _upsert(ScenarioStage, "code", scenarios.STAGES, ("name_zh", "name_en", "position"))
    scenario_rows = [
        {
            **row,
            "stage_id": stages[row["stage"]].id,
            "pain_points_zh": "\n".join(row["pain_points_zh"]),
            "pain_points_en": "\n".join(row["pain_points_en"]),
            "position": position,
        }
        for position, row in enumerate(scenarios.SCENARIOS)
    ]
    _upsert(
        Scenario,
        "slug",
        scenario_rows,
        ("stage_id", "name_zh", "name_en", "summary_zh", "summary_en", "pain_points_zh",
         "pain_points_en", "source", "position"),
    )
    _upsert(Technology, "slug", technologies.TECHNOLOGIES, ("name_zh", "name_en"))
    db.session.commit()
    return {
        "industries": len(industries.INDUSTRIES),
        "regions": len(regions.REGIONS),
        "stages": len(scenarios.STAGES),
        "scenarios": len(scenarios.SCENARIOS),
        "technologies": len(technologies.TECHNOLOGIES),
    }

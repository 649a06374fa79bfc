"""Loading the reference taxonomy from the data modules into the database.

Upsert by code/slug so the command can run on every start: new terms appear, renamed
terms are updated, and ids (which listings refer to) never change.
"""
from __future__ import annotations

from sqlalchemy import select

from catalog_app.extensions import db
from catalog_app.models import Industry, Region, Scenario, ScenarioStage, Technology
from catalog_app.taxonomy.data import industries, regions, scenarios, technologies
from catalog_app.i18n import is_english
from catalog_app.models.demands import demand_industries
from catalog_app.models.listings import listing_industries
from catalog_app.models.organizations import organization_industries


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
    fold_industry_links()
    db.session.commit()
    return {
        "industries": len(industries.INDUSTRIES),
        "regions": len(regions.REGIONS),
        "stages": len(scenarios.STAGES),
        "scenarios": len(scenarios.SCENARIOS),
        "technologies": len(technologies.TECHNOLOGIES),
    }


# --- industry clusters: the one list people pick and filter by ----------------------------------

class UnknownIndustry(ValueError):
    """An industry that is not one of the clusters (a GB/T division, a stale or forged id)."""


def is_cluster():
    """SQL condition: the industry is a Guangdong cluster (pickable, filterable)."""
    return Industry.is_pillar.is_(True)


def cluster_family(code: str) -> tuple[str, str]:
    """(zh, en) name of the provincial family a cluster belongs to."""
    for name_zh, name_en, members in industries.CLUSTER_FAMILIES:
        if code in members:
            return name_zh, name_en
    return "其他", "Other"


def gbt_codes(code: str) -> tuple[str, ...]:
    """The GB/T 4754 division codes a cluster spans (statistics and export)."""
    return industries.CLUSTER_GBT_CODES.get(code, ())


def industry_choices(locale: str) -> list[tuple[int, str, str]]:
    """(id, name, family) of every cluster, in the families' order: what the demand form,
    the listing editor and the facets offer."""
    order = {code: n for n, (_zh, _en, members) in enumerate(industries.CLUSTER_FAMILIES)
             for code in members}
    clusters = sorted(db.session.scalars(select(Industry).where(is_cluster())),
                      key=lambda term: (order.get(term.code, len(order)), term.id))
    english = is_english(locale)
    return [(term.id, term.localized_name(locale), cluster_family(term.code)[1 if english else 0])
            for term in clusters]


def clusters_by_id(ids) -> list[Industry]:
    """The clusters named by `ids`, in id order.

    :raises UnknownIndustry: when any id is not a cluster, so a form, an import or an API
        call can never tag a listing or demand with a value outside the list (which would
        appear as a new filter value beside the clusters).
    """
    wanted = set(ids or ())
    if not wanted:
        return []
    found = list(db.session.scalars(select(Industry).where(Industry.id.in_(wanted), is_cluster())
                                    .order_by(Industry.id)))
    if len(found) != len(wanted):
        raise UnknownIndustry(sorted(wanted - {term.id for term in found}))
    return found


def fold_industry_links() -> int:
    """Move tags on a GB/T division onto the cluster that division maps to (its first
    cluster in data order); drop tags on a division no cluster covers or on a section.

    Databases written before the clusters became the only pickable list hold such tags
    (a demand tagged C29 showed up as a filter value beside 塑料制品). Runs with every
    `flask taxonomy load`, so it is idempotent; returns the number of tags moved or dropped.
    """
    rows = db.session.execute(select(Industry.id, Industry.code, Industry.is_pillar)).all()
    cluster_id_by_code = {code: id_ for id_, code, pillar in rows if pillar}
    target_by_division: dict[str, int] = {}
    for cluster_code, divisions in industries.CLUSTER_GBT_CODES.items():
        if cluster_code in cluster_id_by_code:
            target_by_division.setdefault(divisions[0], cluster_id_by_code[cluster_code])
    target = {id_: target_by_division.get(code) for id_, code, pillar in rows if not pillar}
    if not target:
        return 0
    changed = 0
    for table, owner in ((listing_industries, "listing_id"), (demand_industries, "demand_id"),
                         (organization_industries, "organization_id")):
        stale = db.session.execute(select(table.c[owner], table.c.industry_id)
                                   .where(table.c.industry_id.in_(list(target)))).all()
        if not stale:
            continue
        db.session.execute(table.delete().where(table.c.industry_id.in_(list(target))))
        present = set(db.session.execute(select(table.c[owner], table.c.industry_id)
                                         .where(table.c[owner].in_({o for o, _i in stale}))).all())
        moved = {(o, target[i]) for o, i in stale if target[i] is not None} - present
        if moved:
            db.session.execute(table.insert(), [{owner: o, "industry_id": i} for o, i in sorted(moved)])
        changed += len(stale)
    db.session.flush()
    return changed

"""One industry list: the Guangdong clusters are what forms, filters, API and stats offer,
each mapped to GB/T 4754 divisions; no input can tag a listing or demand with anything else."""
from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from catalog_app.demands import services as demand_services
from catalog_app.demands.services import DemandError
from catalog_app.extensions import db
from catalog_app.models import Demand, Industry, UserRole
from catalog_app.models.demands import demand_industries
from catalog_app.taxonomy.data import industries
from catalog_app.taxonomy.services import (UnknownIndustry, clusters_by_id, fold_industry_links, gbt_codes,
                                           industry_choices)
from tests.demands.conftest import form_data
from tests.demands.test_services import GOOD
from tests.conftest import login_as

CLUSTERS = {row["code"] for row in industries.INDUSTRIES if row["is_pillar"]}
DIVISIONS = {row["code"] for row in industries.INDUSTRIES if not row["is_pillar"]}


def _industry(code: str) -> Industry:
    return db.session.scalar(sa.select(Industry).where(Industry.code == code))


def test_every_cluster_maps_to_gbt_divisions_and_one_family():
    assert set(industries.CLUSTER_GBT_CODES) == CLUSTERS
    parents = {row["code"]: row["parent"] for row in industries.INDUSTRIES}
    for code, divisions in industries.CLUSTER_GBT_CODES.items():
        assert divisions and set(divisions) <= DIVISIONS, code
        assert divisions[0] == parents[code], code  # the parent is the main division
    members = [code for _zh, _en, codes in industries.CLUSTER_FAMILIES for code in codes]
    assert sorted(members) == sorted(CLUSTERS)  # each cluster in exactly one family


def test_pickers_offer_the_clusters_only(app):
    choices = industry_choices("zh")
    assert {_id for _id, _name, _family in choices} == {_industry(code).id for code in CLUSTERS}
    names = [name for _id, name, _family in choices]
    assert "皮具箱包" in names and "橡胶和塑料制品业" not in names and not any(n.startswith("C29") for n in names)
    assert gbt_codes("plastics") == ("C29",)


def test_a_division_id_is_refused(app):
    with pytest.raises(UnknownIndustry):
        clusters_by_id([_industry("C29").id])
    assert [t.code for t in clusters_by_id([_industry("plastics").id])] == ["plastics"]


def test_the_demand_service_refuses_a_division(create_user, any_scenario):
    user = create_user(role=UserRole.ENTERPRISE)
    values = replace(GOOD, scenario_ids=(any_scenario.id,), industry_ids=(_industry("C29").id,))
    with pytest.raises(DemandError):
        demand_services.save_demand(None, values, user)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Demand)) == 0


def test_the_demand_form_offers_clusters_and_rejects_a_division(client, create_user):
    login_as(client, create_user(role=UserRole.ENTERPRISE))
    page = client.get("/demands/new").get_data(as_text=True)
    assert "美妆日化" in page and "橡胶和塑料制品业" not in page
    response = client.post("/demands/new", data={**form_data(), "industries": str(_industry("C29").id)})
    assert response.status_code in (200, 422)  # the form again, with an error
    assert db.session.scalar(sa.select(sa.func.count()).select_from(demand_industries)) == 0
    assert client.post("/demands/new", data={**form_data(), "industries": str(_industry("plastics").id)}
                       ).status_code == 302
    assert db.session.scalar(sa.select(demand_industries.c.industry_id)) == _industry("plastics").id


def test_the_listing_editor_offers_clusters_only(client, create_user):
    login_as(client, create_user(role=UserRole.SUPPLIER))
    page = client.get("/my/listings/new?kind=solution").get_data(as_text=True)
    assert "家用电器" in page and "橡胶和塑料制品业" not in page and "电气机械和器材制造业" not in page


def test_a_division_is_no_filter_value(client, create_listing):
    create_listing(title="注塑件缩痕检测", industries=[_industry("plastics")])
    assert client.get("/solutions?industry=plastics").status_code == 200
    assert client.get("/solutions?industry=C29").status_code == 400
    assert client.get("/api/v1/solutions?industry=C29").status_code in (400, 422)


def test_the_api_lists_the_clusters(client):
    codes = [item["code"] for item in client.get("/api/v1/taxonomy/industries").get_json()]
    assert set(codes) == CLUSTERS


def test_old_division_tags_fold_into_their_cluster(create_demand):
    demand = create_demand(title="注塑件外观检测")
    db.session.execute(demand_industries.insert(), [{"demand_id": demand.id, "industry_id": _industry("C29").id},
                                                    {"demand_id": demand.id, "industry_id": _industry("C").id}])
    db.session.commit()
    assert fold_industry_links() == 2
    assert set(db.session.scalars(sa.select(demand_industries.c.industry_id))) == {_industry("plastics").id}
    assert fold_industry_links() == 0


def test_stats_count_clusters_and_export_their_gbt_codes(client, create_listing):
    create_listing(title="注塑件缩痕检测", industries=[_industry("plastics")])
    db.session.commit()
    text = client.get("/stats/industries.csv").get_data(as_text=True).lstrip("\ufeff")
    header, *rows = [line.split(",") for line in text.strip().splitlines()]
    assert header[1] == "GB/T 4754"
    assert [row[:2] for row in rows] == [["塑料制品", "C29"]]

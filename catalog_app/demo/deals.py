"""Demo deals: proposals, their threads, intent agreements and stored matches.

The rows follow the rules `catalog_app.proposals` enforces, as if the two sides had used
the app: only supplier-side organizations (suppliers, institutes, service providers)
answer, never the demand's own organization, at most one live proposal per organization
and demand, linked listings are the proposer's own published ones. The demand's status
is the outcome of its proposals: a published demand has no shortlisted proposal yet, a
demand in talks has at least one, a solved demand has exactly one agreed proposal with
its intent agreement. Timestamps run forward from the demand's publication (submission,
messages, first response, decision) and never pass `now`.

Stored matches (`Match`) are written directly rather than through
`recommendations.store_matches`, which would need the matching index built over every
listing (seconds at scale 1, minutes at benchmark scales). They pair public demands
with published listings of the same scenario, in the same shape the live path stores
(score, reasons), and a listing its supplier proposed with is marked contacted.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from catalog_app.demo.organizations import OrgPlan, weighted
from catalog_app.demo.proposal_texts import agreement_note, approach_text, decline_note, thread, timeline_text
from catalog_app.demo.texts import Topic
from catalog_app.models import (DeclineReason, DemandStatus, IntentAgreement, Match, MatchStatus, MessageSide,
                                Proposal, ProposalMessage, ProposalStatus)
from catalog_app.models.proposals import proposal_listings


@dataclass(frozen=True)
class ListingRef:
    """A published listing as the deal generator needs it."""

    id: int
    org_id: int
    kind: str
    title: str
    industry: str
    techs: tuple[str, ...]


@dataclass
class DemandPlan:
    id: int
    org: OrgPlan
    status: DemandStatus
    slugs: list[str]
    topic: Topic
    budget_min: int | None
    budget_max: int | None
    published_at: datetime | None
    is_challenge: bool
    created_by_id: int | None


# Share of demands, by status, that received proposals.
ANSWERED_SHARE = {DemandStatus.PUBLISHED: 0.5, DemandStatus.IN_TALKS: 1.0, DemandStatus.SOLVED: 1.0,
                  DemandStatus.CLOSED: 0.35}
PROPOSALS_PER_DEMAND = {1: 35, 2: 30, 3: 20, 4: 15}
# Statuses of the proposals other than the one that decided the demand's status.
OTHER_STATUSES = {
    DemandStatus.PUBLISHED: {"submitted": 60, "declined": 28, "withdrawn": 12},
    DemandStatus.IN_TALKS: {"submitted": 40, "shortlisted": 20, "declined": 30, "withdrawn": 10},
    DemandStatus.SOLVED: {"declined": 70, "withdrawn": 15, "shortlisted": 15},
    DemandStatus.CLOSED: {"declined": 60, "withdrawn": 25, "submitted": 15},
}
DECLINE_REASONS = {"not_a_fit": 35, "cost": 25, "too_early": 15, "unclear_benefit": 15, "other": 10}
MATCH_STATUSES = {MatchStatus.SUGGESTED: 55, MatchStatus.VIEWED: 30, MatchStatus.DISMISSED: 15}
PUBLIC = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS, DemandStatus.SOLVED)
# Mean gaps (hours) before a first proposal, an enterprise's reply and a supplier's reply.
FIRST_PROPOSAL_HOURS, ENTERPRISE_HOURS, SUPPLIER_HOURS = 110, 30, 8
DEMO_SUPPLIER_PROPOSALS = 8


class DealBuilder:
    def __init__(self, rng: random.Random, taxonomy, writer, ids: dict, published: dict[str, list[ListingRef]],
                 providers: list[OrgPlan], user_by_org: dict[int, int], demo_suppliers: list[int],
                 now: datetime) -> None:
        self.rng, self.taxonomy, self.writer, self.ids = rng, taxonomy, writer, ids
        self.published, self.user_by_org, self.now = published, user_by_org, now
        self.providers = {org.id: org for org in providers}
        # The demo supplier accounts should find a few proposals of their own when they sign in:
        # they answer every demand in their scenarios until they have made this many.
        self.demo_left = {org_id: DEMO_SUPPLIER_PROPOSALS for org_id in demo_suppliers}
        self._by_org: dict[str, dict[int, list[ListingRef]]] = {}

    def add(self, demands: list[DemandPlan]) -> None:
        for demand in demands:
            answered = self.rng.random() < ANSWERED_SHARE.get(demand.status, 0)
            demo_here = [org_id for org_id, left in self.demo_left.items()
                         if left and any(org_id in self._slug_orgs(slug) for slug in demand.slugs)]
            answered = demand.published_at is not None and demand.status in ANSWERED_SHARE and (
                answered or bool(demo_here))
            proposed = self._add_proposals(demand, demo_here) if answered else []
            if demand.status in PUBLIC:
                self._add_matches(demand, proposed)

    # ------------------------------------------------------------ proposals

    def _slug_orgs(self, slug: str) -> dict[int, list[ListingRef]]:
        """Published listings of a scenario by owner (built once per scenario)."""
        if slug not in self._by_org:
            by_org: dict[int, list[ListingRef]] = {}
            for ref in self.published.get(slug, ()):
                by_org.setdefault(ref.org_id, []).append(ref)
            self._by_org[slug] = by_org
        return self._by_org[slug]

    def _refs_by_org(self, slugs: list[str]) -> dict[int, list[ListingRef]]:
        """Published listings of the demand's scenarios, by owner."""
        merged: dict[int, list[ListingRef]] = {}
        for slug in slugs:
            for org_id, refs in self._slug_orgs(slug).items():
                merged.setdefault(org_id, []).extend(r for r in refs if r not in merged.get(org_id, ()))
        return merged

    def _add_proposals(self, demand: DemandPlan, demo_here: list[int]) -> list[tuple[int, list[ListingRef], datetime]]:
        rng = self.rng
        by_org = self._refs_by_org(demand.slugs)
        candidates = [org_id for org_id in by_org if org_id != demand.org.id]
        count = weighted(rng, PROPOSALS_PER_DEMAND)
        chosen = rng.sample(candidates, min(count, len(candidates)))
        for org_id in demo_here:
            if org_id not in chosen:
                chosen = [org_id] + chosen[:max(0, count - 1)]
        for org_id in chosen:
            if self.demo_left.get(org_id):
                self.demo_left[org_id] -= 1
        if not chosen:  # nobody lists this scenario: a generalist answers without linking a listing
            chosen = [rng.choice(list(self.providers))]
        statuses = [self._deciding_status(demand.status)] + [
            weighted(rng, OTHER_STATUSES[demand.status]) for _ in chosen[1:]]
        rng.shuffle(statuses)
        proposed = []
        for org_id, status in zip(chosen, statuses):
            refs = by_org.get(org_id, [])
            linked = rng.sample(refs, min(len(refs), rng.choice((1, 1, 2))))
            submitted_at = self._add_proposal(demand, self.providers[org_id], status, linked)
            proposed.append((org_id, linked, submitted_at))
        return proposed

    def _deciding_status(self, status: DemandStatus) -> str:
        """The proposal that explains the demand's status."""
        return {DemandStatus.IN_TALKS: "shortlisted", DemandStatus.SOLVED: "agreed"}.get(
            status, weighted(self.rng, OTHER_STATUSES[status]))

    def _later(self, start: datetime, mean_hours: float, end: datetime) -> datetime:
        """A moment after `start`, about `mean_hours` later, squeezed to stay before `end`."""
        gap = timedelta(hours=self.rng.expovariate(1 / mean_hours) + self.rng.uniform(0.1, 1.0))
        room = end - start
        if gap > room * 0.6:
            gap = room * self.rng.uniform(0.2, 0.6)
        return start + max(gap, timedelta(0))

    def _price(self, demand: DemandPlan) -> tuple[int, int]:
        rng = self.rng
        if demand.budget_min is not None:
            low = max(1, round(demand.budget_min * rng.uniform(0.7, 1.1)))
            spread = max(1, (demand.budget_max or low) - demand.budget_min)
            return low, low + max(1, round(spread * rng.uniform(0.2, 1.2)))
        low = rng.choice((5, 8, 10, 15, 20, 30, 50, 80, 120))
        return low, round(low * rng.uniform(1.2, 2.0))

    def _add_proposal(self, demand: DemandPlan, org: OrgPlan, status: str, linked: list[ListingRef]) -> datetime:
        rng, topic = self.rng, demand.topic
        end = self.now - timedelta(minutes=rng.randint(30, 240))
        proposal_id = self.ids["proposals"].take()
        submitted_at = self._later(demand.published_at, FIRST_PROPOSAL_HOURS, end)
        price_min, price_max = self._price(demand) if status == "agreed" or rng.random() < 0.85 else (None, None)
        row = {
            "id": proposal_id, "demand_id": demand.id, "organization_id": org.id,
            "created_by_id": self.user_by_org.get(org.id),
            "approach": approach_text(rng, topic, org.name, org.city_name,
                                      [(ref.kind, ref.title) for ref in linked], demand.is_challenge),
            "timeline": timeline_text(rng), "price_min": price_min, "price_max": price_max,
            "status": ProposalStatus(status), "decline_reason": None, "decline_note": "",
            "submitted_at": submitted_at, "first_response_at": None, "decided_at": None, "withdrawn_at": None,
        }
        messages, at = [], submitted_at
        for side, body in thread(rng, topic, org.city_name, status):
            at = self._later(at, ENTERPRISE_HOURS if side != "supplier" else SUPPLIER_HOURS, end)
            if side in ("enterprise", "shortlisted", "declined", "agreed"):
                row["first_response_at"] = row["first_response_at"] or at
            if side == "withdrawn":
                row["withdrawn_at"] = at
            elif side in ("shortlisted", "declined", "agreed"):
                row["decided_at"] = at
            else:
                messages.append((side, body, at))
        if status == "declined":
            reason = weighted(rng, DECLINE_REASONS)
            row["decline_reason"], row["decline_note"] = DeclineReason(reason), decline_note(rng, topic, reason)
        row["updated_at"] = at
        self.writer.add(Proposal.__table__, row)
        for ref in linked:
            self.writer.add(proposal_listings, {"proposal_id": proposal_id, "listing_id": ref.id})
        for side, body, created_at in messages:
            author = self.user_by_org.get(demand.org.id if side == "enterprise" else org.id)
            self.writer.add(ProposalMessage.__table__, {
                "id": self.ids["proposal_messages"].take(), "proposal_id": proposal_id, "author_id": author,
                "side": MessageSide(side), "body": body, "created_at": created_at})
        if status == "agreed":
            amount = rng.randint(price_min, price_max)
            if demand.budget_max is not None:
                amount = min(amount, round(demand.budget_max * 1.2))
            self.writer.add(IntentAgreement.__table__, {
                "id": self.ids["intent_agreements"].take(), "proposal_id": proposal_id, "demand_id": demand.id,
                "amount": amount, "note": agreement_note(rng, topic, amount),
                "recorded_by_id": self.user_by_org.get(demand.org.id), "created_at": row["decided_at"]})
        return submitted_at

    # ------------------------------------------------------------ matches

    def _add_matches(self, demand: DemandPlan, proposed: list[tuple[int, list[ListingRef], datetime]]) -> None:
        """The demand's recommendations as stored when it was published: 4-8 same-scenario listings."""
        rng, topic = self.rng, demand.topic
        pool = [ref for slug in demand.slugs for ref in self.published.get(slug, ())]
        contacted = {ref.id: at for _org, refs, at in proposed for ref in refs}
        picked = {ref.id: ref for _org, refs, _at in proposed for ref in refs}
        for ref in rng.sample(pool, min(len(pool), rng.randint(4, 8))):
            picked.setdefault(ref.id, ref)
        stored_at = min(demand.published_at + timedelta(minutes=rng.randint(5, 180)),
                        self.now - timedelta(minutes=5))
        for rank, ref in enumerate(sorted(picked.values(), key=lambda r: (r.id not in contacted, r.id))):
            score = round(rng.uniform(0.75, 1.3) * (0.93 ** rank), 4)
            if ref.id in contacted:
                status, updated_at = MatchStatus.CONTACTED, max(contacted[ref.id], stored_at)
            else:
                status = weighted(rng, MATCH_STATUSES)
                updated_at = stored_at if status is MatchStatus.SUGGESTED else self._later(stored_at, 48, self.now)
            self.writer.add(Match.__table__, {
                "id": self.ids["matches"].take(), "demand_id": demand.id, "listing_id": ref.id, "score": score,
                "reasons": self._reasons(demand, topic, ref), "status": status,
                "created_at": stored_at, "updated_at": updated_at})

    def _reasons(self, demand: DemandPlan, topic: Topic, ref: ListingRef) -> list[dict]:
        """Facets the pair shares and scenario words in the listing's title, as the engine reports them."""
        tax = self.taxonomy
        reasons = [("facet", tax.scenario_names[demand.slugs[0]], "scenario")]
        if ref.industry == topic.industry["code"]:
            reasons.append(("facet", tax.industry_names.get(ref.industry, topic.industry["label"]), "industry"))
        shared_tech = [t for t in ref.techs if t in topic.tech_slugs]
        if shared_tech:
            reasons.append(("facet", tax.tech_names[shared_tech[0]], "technology"))
        reasons += [("term", term, None) for term in topic.words["terms"] if term in ref.title][:2]
        weights = [self.rng.uniform(0.5, 1.5) for _ in reasons]
        total = sum(weights)
        return [{"kind": kind, "label": label, "weight": round(w / total, 4), "facet": facet}
                for (kind, label, facet), w in zip(reasons, weights)]

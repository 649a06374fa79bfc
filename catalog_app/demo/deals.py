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
(score, confidence, reasons), and a listing its supplier proposed with is marked contacted.
Each demand also gets one or two listings of its industry but another scenario, the near
misses a lexical engine suggests. What users then did with the matches is the feedback
`flask matching tune` learns from, so it follows the fit as people judge it: near misses
are mostly dismissed, same-scenario listings of another industry and without a shared
technology sometimes, close fits rarely; proposals are shortlisted, agreed or declined as
"not a fit" as described above.
"""
from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from catalog_app.demo.organizations import OrgPlan, weighted
from catalog_app.demo.proposal_texts import agreement_note, approach_text, decline_note, thread, timeline_text
from catalog_app.demo.texts import Topic
from catalog_app.models import (DeclineReason, DemandStatus, IntentAgreement, Match, MatchFeedback, MatchStatus,
                                MessageSide, Proposal, ProposalMessage, ProposalStatus, Verdict)
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
ANSWERED_SHARE = {DemandStatus.PUBLISHED: 0.45, DemandStatus.IN_TALKS: 1.0, DemandStatus.SOLVED: 1.0,
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
# Of the matches nobody proposed with: suggested or viewed (55:30), or dismissed with a
# probability that depends on the fit (see _dismiss_share).
MATCH_STATUSES = {MatchStatus.SUGGESTED: 55, MatchStatus.VIEWED: 30}
# Drawn for every stored match: cumulative shares, cheaper than random.choices per row.
MATCH_STATUS_KEYS = list(MATCH_STATUSES)
MATCH_STATUS_CUMULATIVE = list(itertools.accumulate(v / sum(MATCH_STATUSES.values()) for v in MATCH_STATUSES.values()))[:-1]
DISMISSED_SHARE = {"near_miss": 0.65, "loose": 0.25, "close": 0.05}
NEAR_MISSES = (1, 2)
# Of the matches left suggested or viewed: how many get an "interested" / "not relevant"
# click from each side, and how often that click is "interested", by fit.
FEEDBACK_SHARE = 0.3
INTERESTED_SHARE = {"near_miss": 0.15, "loose": 0.45, "close": 0.85}
PUBLIC = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS, DemandStatus.SOLVED)
# Mean gaps (hours) before a first proposal, an enterprise's reply and a supplier's reply.
FIRST_PROPOSAL_HOURS, ENTERPRISE_HOURS, SUPPLIER_HOURS = 110, 30, 8
DEMO_SUPPLIER_PROPOSALS = 6


class DealBuilder:
    def __init__(self, rng: random.Random, taxonomy, writer, ids: dict, published: dict[str, list[ListingRef]],
                 providers: list[OrgPlan], user_by_org: dict[int, int], demo_suppliers: list[int],
                 demo_enterprises: list[int], now: datetime) -> None:
        self.rng, self.taxonomy, self.writer, self.ids = rng, taxonomy, writer, ids
        self.published, self.user_by_org, self.now = published, user_by_org, now
        self.providers = {org.id: org for org in providers}
        # The demo supplier accounts should find a few proposals of their own when they sign in:
        # they answer every demand in their scenarios until they have made this many.
        self.demo_left = {org_id: DEMO_SUPPLIER_PROPOSALS for org_id in demo_suppliers}
        # And the demo enterprise accounts proposals to each of their open demands.
        self.demo_enterprises = set(demo_enterprises)
        self._by_org: dict[str, dict[int, list[ListingRef]]] = {}
        self._merged: dict[tuple[str, ...], dict[int, list[ListingRef]]] = {}
        self._pools: dict[tuple[str, ...], list[ListingRef]] = {}
        self._by_industry: dict[str, list[tuple[str, ListingRef]]] | None = None

    def add(self, demands: list[DemandPlan]) -> None:
        for demand in demands:
            answered = self.rng.random() < ANSWERED_SHARE.get(demand.status, 0)
            demo_here = [org_id for org_id, left in self.demo_left.items()
                         if left and any(org_id in self._slug_orgs(slug) for slug in demand.slugs)]
            answered = demand.published_at is not None and demand.status in ANSWERED_SHARE and (
                answered or bool(demo_here) or demand.org.id in self.demo_enterprises)
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
        """Published listings of the demand's scenarios, by owner (built once per set of scenarios)."""
        if len(slugs) == 1:
            return self._slug_orgs(slugs[0])
        key = tuple(slugs)
        if key not in self._merged:
            merged: dict[int, dict[int, ListingRef]] = {}
            for slug in slugs:
                for org_id, refs in self._slug_orgs(slug).items():
                    merged.setdefault(org_id, {}).update((ref.id, ref) for ref in refs)
            self._merged[key] = {org_id: list(refs.values()) for org_id, refs in merged.items()}
        return self._merged[key]

    def _pool(self, slugs: list[str]) -> list[ListingRef]:
        """Published listings of the demand's scenarios (built once per set of scenarios)."""
        if len(slugs) == 1:
            return self.published.get(slugs[0], [])
        key = tuple(slugs)
        if key not in self._pools:
            self._pools[key] = list({ref.id: ref for slug in slugs for ref in self.published.get(slug, ())}.values())
        return self._pools[key]

    def _add_proposals(self, demand: DemandPlan, demo_here: list[int]) -> list[tuple[int, list[ListingRef], datetime]]:
        rng = self.rng
        by_org = self._refs_by_org(demand.slugs)
        candidates = list(by_org)  # a demand's organization is an enterprise: never among them
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
        deciding = self._deciding_status(demand.status)
        statuses = [deciding] + [weighted(rng, OTHER_STATUSES[demand.status]) for _ in chosen[1:]]
        rng.shuffle(statuses)
        if chosen[0] in demo_here:  # the demo supplier is the one shortlisted or agreed with
            j = statuses.index(deciding)
            statuses[0], statuses[j] = statuses[j], statuses[0]
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
        """Near the demand's budget when it has one; a fixed price one time in five."""
        rng = self.rng
        if demand.budget_min is not None:
            low = max(1, round(demand.budget_min * rng.uniform(0.7, 1.1)))
        else:
            low = rng.choice((5, 8, 10, 15, 20, 30, 50, 80, 120))
        if rng.random() < 0.2:
            return low, low
        high = low + max(2, round(low * rng.uniform(0.25, 0.8)))
        if demand.budget_max is not None:
            high = max(low + 1, min(high, round(demand.budget_max * 1.3)))
        return low, high

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
        """The demand's recommendations as stored when it was published: 3-5 same-scenario listings,
        the listings proposed for it, and one or two near misses of its industry."""
        rng, topic = self.rng, demand.topic
        pool = self._pool(demand.slugs)
        contacted = {ref.id: at for _org, refs, at in proposed for ref in refs}
        picked = {ref.id: ref for _org, refs, _at in proposed for ref in refs}
        for ref in rng.sample(pool, min(len(pool), rng.randint(3, 5))):
            picked.setdefault(ref.id, ref)
        near_misses = self._near_misses(demand, topic, set(picked))
        stored_at = min(demand.published_at + timedelta(minutes=rng.randint(5, 180)),
                        self.now - timedelta(minutes=5))
        ordered = sorted(picked.values(), key=lambda r: (r.id not in contacted, r.id)) + near_misses
        for rank, ref in enumerate(ordered):
            near_miss = rank >= len(picked)
            fit = "near_miss" if near_miss else self._fit(topic, ref)
            score = round(rng.uniform(0.75, 1.3) * (0.93 ** rank), 4)
            confidence = round(rng.uniform(*{"near_miss": (0.15, 0.5), "loose": (0.35, 0.75),
                                             "close": (0.5, 0.95)}[fit]), 4)
            if ref.id in contacted:
                status, updated_at = MatchStatus.CONTACTED, max(contacted[ref.id], stored_at)
            elif rng.random() < DISMISSED_SHARE[fit]:
                status, updated_at = MatchStatus.DISMISSED, self._later(stored_at, 48, self.now)
            else:
                status = MATCH_STATUS_KEYS[bisect.bisect(MATCH_STATUS_CUMULATIVE, rng.random())]
                updated_at = stored_at if status is MatchStatus.SUGGESTED else self._later(stored_at, 48, self.now)
            self.writer.add(Match.__table__, {
                "id": self.ids["matches"].take(), "demand_id": demand.id, "listing_id": ref.id, "score": score,
                "confidence": confidence, "reasons": self._reasons(demand, topic, ref, same_scenario=not near_miss),
                "status": status, "created_at": stored_at, "updated_at": updated_at})
            if status in (MatchStatus.VIEWED, MatchStatus.SUGGESTED):
                self._add_feedback(demand, ref, fit, stored_at)

    def _add_feedback(self, demand: DemandPlan, ref: ListingRef, fit: str, stored_at: datetime) -> None:
        """"Interested" / "not relevant" clicks on a recommendation, by the enterprise's member
        (on its demand's suggested listings) and the supplier's member (on the lead); people
        judge by the fit, with some noise, so `flask matching tune` has a signal to learn."""
        for user_id in (self.user_by_org.get(demand.org.id), self.user_by_org.get(ref.org_id)):
            if user_id is None or self.rng.random() >= FEEDBACK_SHARE:
                continue
            interested = self.rng.random() < INTERESTED_SHARE[fit]
            at = self._later(stored_at, 72, self.now)
            self.writer.add(MatchFeedback.__table__, {
                "id": self.ids["match_feedback"].take(), "demand_id": demand.id, "listing_id": ref.id,
                "user_id": user_id, "verdict": Verdict.INTERESTED if interested else Verdict.NOT_RELEVANT,
                "created_at": at, "updated_at": at})

    @staticmethod
    def _fit(topic: Topic, ref: ListingRef) -> str:
        """How a same-scenario listing fits as people judge it: "close" with the demand's industry
        or one of its technologies, else "loose"."""
        if ref.industry == topic.industry["code"] or any(t in topic.tech_slugs for t in ref.techs):
            return "close"
        return "loose"

    def _near_misses(self, demand: DemandPlan, topic: Topic, taken: set[int]) -> list[ListingRef]:
        """Listings of the demand's industry in other scenarios (one or two)."""
        if self._by_industry is None:
            self._by_industry = {}
            for slug, refs in self.published.items():
                for ref in refs:
                    self._by_industry.setdefault(ref.industry, []).append((slug, ref))
        candidates = self._by_industry.get(topic.industry["code"], [])
        out: dict[int, ListingRef] = {}
        for _ in range(8):  # a few draws; a demand of a rare industry may get none
            if len(out) >= self.rng.choice(NEAR_MISSES) or not candidates:
                break
            slug, ref = self.rng.choice(candidates)
            if slug not in demand.slugs and ref.id not in taken:
                out[ref.id] = ref
        return list(out.values())

    def _reasons(self, demand: DemandPlan, topic: Topic, ref: ListingRef, same_scenario: bool = True) -> list[dict]:
        """Facets the pair shares and scenario words in the listing's title, as the engine reports them."""
        tax = self.taxonomy
        reasons = [("facet", tax.scenario_names[demand.slugs[0]], "scenario")] if same_scenario else []
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

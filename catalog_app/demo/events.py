"""Demo events (issue 15): two past events with real-looking figures and one upcoming event.

The figures are the provincial innovation-challenge rounds scaled down to a catalog of a
hundred demands: the reported round gathered 500 demands, experts screened them (111 -> 68),
suppliers pitched on site and 184 intent agreements worth 4.3 亿元 were signed (about 234 万元
each). Here the past challenge gathers about 40 demands, half are shortlisted, and about a
dozen agreements worth a few thousand 万元 come out of it; the past matchmaking day holds
about a hundred 20-minute meetings.

- `foshan-2026-challenge` (揭榜比拼, ~75 days ago): a screened round, pitches scored by the
  demo experts, winners and results published; on its second day 1:1 talks where winners
  sign intent agreements. Intent agreements of the catalog recorded after the event on a
  round demand are linked to it (`event_id`) rather than invented twice.
- `nansha-2026-matchmaking` (对接会, ~5 days ago): meetings held, outcomes mostly recorded
  by both sides; enterprise1's and supplier1's organizations still owe outcomes for a few
  of theirs, so a demo user can enter one.
- `huangpu-2027-matchmaking` (供需对接会暨揭榜比拼, in ~21 days): registration open, slots
  generated, a few meetings booked, the round's shortlist published and the pitch order set
  but no pitch scored, so the demo expert can score. The judged accounts' organizations
  (enterprise1, supplier1, supplier2) are not registered: they register as newcomers would.

Rows are written with bulk Core inserts and ids assigned here, like the rest of the demo
loader, straight against `catalog_app.models.events` (the feature services build the same
rows one by one). Times are naive UTC; the event day is laid out in UTC+8 local time.
Screening and pitch scores store one 0-10 score per published criterion, keyed by the
criterion's name, and the weighted total on 0-100.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from catalog_app.demo.accounts import DEMO_ACCOUNTS
from catalog_app.extensions import db
from catalog_app.models import (Demand, DemandStatus, Event, EventDemand, EventExpert, EventKind,
                                EventRegistration, EventSide, EventStatus, Industry, IntentAgreement, Listing,
                                ListingKind, ListingStatus, Meeting, MeetingOutcome, MeetingSeat, MeetingSlot,
                                MeetingStatus, Organization, OrganizationKind, OutcomeKind, Pitch, PitchScore,
                                Proposal, ProposalStatus, Region, RegistrationStatus, RoundEntryStatus, Scenario,
                                ScreeningScore, User, UserRole)
from catalog_app.models.demands import demand_industries, demand_scenarios
from catalog_app.models.events import event_industries, event_scenarios, registration_listings
from catalog_app.models.listings import listing_scenarios

LOCAL = timedelta(hours=8)  # events are laid out in Guangdong time (UTC+8)
# Meeting blocks of a matchmaking day (local): 20-minute slots, a coffee break at 10:50 and
# 15:10, lunch 12:00-13:30.
SLOT_BLOCKS = (("09:30", "10:50"), ("11:00", "12:00"), ("13:30", "15:10"), ("15:20", "17:00"))
SLOT_MINUTES = 20
CRITERIA = (("技术先进性", 30), ("方案可行性", 25), ("应用成效与经济效益", 25), ("团队实施能力", 20))
FOSHAN, NANSHA, HUANGPU = "foshan-2026-challenge", "nansha-2026-matchmaking", "huangpu-2027-matchmaking"
# The judged demo accounts: they must find the upcoming event open, as newcomers.
NEWCOMER_EMAILS = ("enterprise1@demo.example.com", "supplier1@demo.example.com", "supplier2@demo.example.com")
# Scaled-down round of the source articles (500 gathered, 111 -> 68 screened, 184 agreements).
FOSHAN_ROUND, FOSHAN_SHORTLIST_SHARE, FOSHAN_AGREEMENTS = 40, 0.5, 12
HUANGPU_ROUND, HUANGPU_SHORTLIST = 16, 8
TIER_BONUS = {"chain_leader": 0.8, "above_size": 0.4, "sme": 0.0, "one_person": -0.6}
# The experts' mean total (0-100) a best pitch needs to win; below it the demand stays open (榜单空缺).
WINNING_SCORE = 75
PUBLIC_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.IN_TALKS, DemandStatus.SOLVED, DemandStatus.CLOSED)
SUPPLY_KINDS = (OrganizationKind.SUPPLIER, OrganizationKind.INSTITUTE, OrganizationKind.SERVICE)

TABLES = (Event.__table__, event_industries, event_scenarios, EventRegistration.__table__, registration_listings,
          EventExpert.__table__, EventDemand.__table__, ScreeningScore.__table__, Pitch.__table__,
          PitchScore.__table__, MeetingSlot.__table__, Meeting.__table__, MeetingSeat.__table__,
          MeetingOutcome.__table__)


def local_at(day: date, hhmm: str) -> datetime:
    """Naive UTC of a local (UTC+8) wall-clock time on a day."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes)) - LOCAL


def slot_times(day: date) -> list[tuple[datetime, datetime]]:
    """The day's 20-minute slots, breaks being the gaps between the blocks."""
    out = []
    for start, end in SLOT_BLOCKS:
        at, stop = local_at(day, start), local_at(day, end)
        while at + timedelta(minutes=SLOT_MINUTES) <= stop:
            out.append((at, at + timedelta(minutes=SLOT_MINUTES)))
            at += timedelta(minutes=SLOT_MINUTES)
    return out


def pitch_time(day: date, k: int) -> datetime:
    """When the k-th pitch of the day was scored: about five minutes each from 09:40, lunch 12:00-13:30."""
    minutes = 5 * k + 5
    return local_at(day, "09:40") + timedelta(minutes=minutes + (90 if minutes > 140 else 0))


def proportioned(rng: random.Random, n: int, shares: dict) -> list:
    """n draws in exactly these proportions (rounded), shuffled: figures that do not swing by seed."""
    total = sum(shares.values())
    out = [key for key, share in shares.items() for _ in range(round(n * share / total))]
    out = (out + [max(shares, key=shares.get)] * n)[:n]
    rng.shuffle(out)
    return out


def round_amount(value: float) -> int:
    """万元 as people state them: 35, 120, 480, 1,250."""
    step = 5 if value < 200 else 10 if value < 1000 else 50
    return max(step, round(value / step) * step)


# ---------------------------------------------------------------- what the catalog holds


@dataclass(frozen=True)
class DemandRef:
    id: int
    org_id: int
    title: str
    status: DemandStatus
    published_at: datetime
    budget_min: int | None
    budget_max: int | None
    scenario_ids: tuple[int, ...]
    industry_id: int | None


@dataclass(frozen=True)
class ListingRef:
    id: int
    org_id: int
    title: str
    scenario_ids: tuple[int, ...]


class Catalog:
    """The loaded demo catalog as the event generator needs it, read in a few queries."""

    def __init__(self) -> None:
        session = db.session
        self.orgs = {row.id: row for row in session.execute(
            sa.select(Organization.id, Organization.kind, Organization.tier, Organization.name,
                      Organization.region_id))}
        self.attendee: dict[int, int] = {}
        emails: dict[str, tuple[int, int | None]] = {}
        self.staff_id = None
        for user in session.execute(sa.select(User.id, User.email, User.role, User.organization_id,
                                              User.is_active).order_by(User.id)):
            emails[user.email] = (user.id, user.organization_id)
            if user.organization_id is not None and user.is_active:
                self.attendee.setdefault(user.organization_id, user.id)
            if user.role in (UserRole.MODERATOR, UserRole.ADMIN) and self.staff_id is None:
                self.staff_id = user.id
        self.newcomer_orgs = {emails[e][1] for e in NEWCOMER_EMAILS if e in emails} - {None}
        demo_org = {a.email: emails[a.email][1] for a in DEMO_ACCOUNTS if a.email in emails}
        self.enterprise1 = demo_org.get("enterprise1@demo.example.com")
        self.supplier1 = demo_org.get("supplier1@demo.example.com")
        self.supplier2 = demo_org.get("supplier2@demo.example.com")
        # The documented accounts who may take part in the upcoming event (not the newcomers).
        self.open_demo_orgs = {org for email, org in demo_org.items() if org and email not in NEWCOMER_EMAILS}
        self.expert_ids = [emails[a.email][0] for a in DEMO_ACCOUNTS
                           if a.role is UserRole.EXPERT and a.email in emails]
        self.scenario_names = dict(session.execute(sa.select(Scenario.id, Scenario.name_zh)).all())
        self.scenario_ids = dict(session.execute(sa.select(Scenario.slug, Scenario.id)).all())
        self.industry_ids = dict(session.execute(sa.select(Industry.code, Industry.id)).all())
        self.industry_names = dict(session.execute(sa.select(Industry.id, Industry.name_zh)).all())
        self.region_ids = dict(session.execute(sa.select(Region.code, Region.id)).all())
        self.region_city = {rid: parent or rid
                            for rid, parent in session.execute(sa.select(Region.id, Region.parent_id))}

        listing_scen = defaultdict(list)
        for listing_id, scenario_id in session.execute(sa.select(listing_scenarios.c.listing_id,
                                                                 listing_scenarios.c.scenario_id)):
            listing_scen[listing_id].append(scenario_id)
        self.listings_by_org: dict[int, list[ListingRef]] = defaultdict(list)
        for row in session.execute(
                sa.select(Listing.id, Listing.organization_id, Listing.title)
                .where(Listing.status == ListingStatus.PUBLISHED,
                       Listing.kind.in_((ListingKind.SOLUTION, ListingKind.PRODUCT))).order_by(Listing.id)):
            self.listings_by_org[row.organization_id].append(
                ListingRef(row.id, row.organization_id, row.title, tuple(listing_scen[row.id])))

        demand_scen = defaultdict(list)
        for demand_id, scenario_id in session.execute(sa.select(demand_scenarios.c.demand_id,
                                                                demand_scenarios.c.scenario_id)):
            demand_scen[demand_id].append(scenario_id)
        demand_ind = dict(session.execute(sa.select(demand_industries.c.demand_id,
                                                    demand_industries.c.industry_id)).all())
        self.demands = [
            DemandRef(row.id, row.organization_id, row.title, row.status, row.published_at, row.budget_min,
                      row.budget_max, tuple(demand_scen[row.id]), demand_ind.get(row.id))
            for row in session.execute(
                sa.select(Demand.id, Demand.organization_id, Demand.title, Demand.status, Demand.published_at,
                          Demand.budget_min, Demand.budget_max)
                .where(Demand.status.in_(PUBLIC_STATUSES), Demand.published_at.is_not(None)).order_by(Demand.id))
            if row.organization_id in self.attendee]
        self.proposals = defaultdict(list)  # demand id -> (proposal id, org id, status, submitted_at)
        for row in session.execute(sa.select(Proposal.id, Proposal.demand_id, Proposal.organization_id,
                                             Proposal.status, Proposal.submitted_at).order_by(Proposal.id)):
            self.proposals[row.demand_id].append(row)
        self.agreements = list(session.execute(
            sa.select(IntentAgreement.id, IntentAgreement.demand_id, IntentAgreement.proposal_id,
                      IntentAgreement.created_at, Proposal.organization_id)
            .join(Proposal, Proposal.id == IntentAgreement.proposal_id)
            .where(IntentAgreement.event_id.is_(None)).order_by(IntentAgreement.id)))

    def suppliers(self, exclude=()) -> list[int]:
        """Supply-side organizations with a member and published listings."""
        return [org_id for org_id, refs in self.listings_by_org.items()
                if refs and org_id in self.attendee and org_id not in exclude
                and self.orgs[org_id].kind in SUPPLY_KINDS]


# ---------------------------------------------------------------- rows


class Rows:
    """Rows per table with ids handed out above each table's current maximum."""

    def __init__(self) -> None:
        self.rows: dict[sa.Table, list[dict]] = defaultdict(list)
        self.by_id: dict[tuple[sa.Table, int], dict] = {}
        self.next_id = {table: (db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1
                        for table in TABLES if "id" in table.c}

    def add(self, table: sa.Table, **row) -> int | None:
        if table in self.next_id and "id" not in row:
            row["id"] = self.next_id[table]
            self.next_id[table] += 1
            self.by_id[(table, row["id"])] = row
        self.rows[table].append(row)
        return row.get("id")

    def write(self) -> dict[str, int]:
        counts = {}
        for table in TABLES:
            rows = self.rows.get(table)
            if not rows:
                continue
            # One executemany per set of keys: rows leaving a column to its default differ.
            by_keys: dict[tuple, list[dict]] = defaultdict(list)
            for row in rows:
                by_keys[tuple(sorted(row))].append(row)
            for group in by_keys.values():
                db.session.execute(sa.insert(table), group)
            counts[table.name] = len(rows)
        return counts


@dataclass
class Reg:
    id: int
    org_id: int
    attendee_id: int
    side: EventSide
    status: RegistrationStatus
    listings: list[ListingRef] = field(default_factory=list)
    demands: list[DemandRef] = field(default_factory=list)

    @property
    def scenario_ids(self) -> set[int]:
        items = self.listings if self.side is EventSide.SUPPLIER else self.demands
        return {s for item in items for s in item.scenario_ids}


class Scheduler:
    """Places meetings in slots: never two for one registration in a slot, never two at a table."""

    def __init__(self, slot_ids: list[int], tables: int) -> None:
        self.slot_ids, self.tables = slot_ids, tables
        self.busy: set[tuple[int, int]] = set()
        self.used: dict[int, set[int]] = defaultdict(set)

    def free(self, slot_id: int, *reg_ids: int) -> bool:
        return all((slot_id, r) not in self.busy for r in reg_ids)

    def place(self, rng: random.Random, a: int, b: int, slot_ids: list[int] | None = None):
        order = list(slot_ids or self.slot_ids)
        rng.shuffle(order)
        for slot_id in order:
            if self.free(slot_id, a, b) and len(self.used[slot_id]) < self.tables:
                table = min(set(range(1, self.tables + 1)) - self.used[slot_id])
                self.used[slot_id].add(table)
                self.busy.update({(slot_id, a), (slot_id, b)})
                return slot_id, table
        return None


# ---------------------------------------------------------------- texts

NO_FIT_NOTES = ("对方方案与我司{scenario}现场工艺差异较大，暂不推进。",
                "报价高于本年度{scenario}预算，双方暂不合作，保持联系。",
                "对方更适合离散装配场景，我司{scenario}需求以流程工艺为主，匹配度不高。")
FOLLOW_UP_NOTES = ("约定两周内到现场调研{scenario}环节，补充数据样本后再评估。",
                   "对方将先用我司提供的历史数据做{scenario}效果验证，下月复盘。",
                   "已交换技术资料，计划安排产线负责人二次沟通{scenario}试点范围。")
INTENT_NOTES = ("双方签署意向协议：先在一条产线开展{scenario}试点，金额约{amount}万元。",
                "达成合作意向，{scenario}项目按分期验收推进，意向金额{amount}万元。",
                "现场签约{scenario}项目意向书，首期投入约{amount}万元，三个月内完成验证。")


def outcome_note(rng: random.Random, outcome: OutcomeKind, scenario: str, amount: int | None) -> str:
    notes = {OutcomeKind.NO_FIT: NO_FIT_NOTES, OutcomeKind.FOLLOW_UP: FOLLOW_UP_NOTES,
             OutcomeKind.INTENT: INTENT_NOTES}[outcome]
    return rng.choice(notes).format(scenario=scenario, amount=amount)


def agenda(*days: tuple[str, tuple[tuple[str, str], ...]]) -> str:
    lines = []
    for heading, items in days:
        lines.append(heading)
        lines += [f"{when} {what}" for when, what in items]
    return "\n".join(lines)


# ---------------------------------------------------------------- the generator


class EventsBuilder:
    def __init__(self, rng: random.Random, now: datetime, catalog: Catalog) -> None:
        self.rng, self.now, self.cat = rng, now, catalog
        self.rows = Rows()
        self.today = (now + LOCAL).date()  # local date
        self.agreement_links: dict[int, int] = {}  # intent agreement id -> event id

    # -- helpers

    def moment(self, start: datetime, end: datetime) -> datetime:
        """A random moment between two times, never after now."""
        end = min(end, self.now - timedelta(minutes=5))
        if end <= start:
            return min(start, self.now - timedelta(minutes=5))
        return start + timedelta(seconds=self.rng.randint(0, int((end - start).total_seconds())))

    def scenario_name(self, ids) -> str:
        return self.cat.scenario_names.get(next(iter(ids), None), "智能制造")

    def event(self, slug: str, **row) -> int:
        industries, scenarios = row.pop("industries"), row.pop("scenarios")
        event_id = self.rows.add(Event.__table__, slug=slug, status=EventStatus.PUBLISHED,
                                 created_by_id=self.cat.staff_id, updated_at=row["created_at"],
                                 criteria="\n".join(f"{name} | {weight}" for name, weight in CRITERIA), **row)
        for code in industries:
            if code in self.cat.industry_ids:
                self.rows.add(event_industries, event_id=event_id, industry_id=self.cat.industry_ids[code])
        for slug_ in scenarios:
            if slug_ in self.cat.scenario_ids:
                self.rows.add(event_scenarios, event_id=event_id, scenario_id=self.cat.scenario_ids[slug_])
        return event_id

    def register(self, event_id: int, org_id: int, side: EventSide, status: RegistrationStatus,
                 opens: datetime, closes: datetime, listings=(), demands=(), note: str = "") -> Reg:
        created = self.moment(opens, closes)
        decided = None if status is RegistrationStatus.PENDING else self.moment(created, created + timedelta(days=3))
        reg = Reg(0, org_id, self.cat.attendee[org_id], side, status, list(listings), list(demands))
        if not note and side is EventSide.SUPPLIER and reg.listings:
            note = f"携带{len(reg.listings)}项方案/产品参会，重点对接{self.scenario_name(reg.scenario_ids)}相关需求。"
        elif not note and reg.demands:
            note = f"带{len(reg.demands)}项需求参会，希望现场对接{self.scenario_name(reg.scenario_ids)}方案。"
        reg.id = self.rows.add(
            EventRegistration.__table__, event_id=event_id, organization_id=org_id, attendee_id=reg.attendee_id,
            side=side, status=status, note=note[:500], created_at=created, decided_at=decided,
            decided_by_id=self.cat.staff_id if decided else None)
        for listing in reg.listings:
            self.rows.add(registration_listings, registration_id=reg.id, listing_id=listing.id)
        return reg

    def brought_listings(self, org_id: int, scenario_ids: set[int]) -> list[ListingRef]:
        """1-3 of the organization's own published listings, those of the event's scenarios first."""
        refs = sorted(self.cat.listings_by_org[org_id], key=lambda r: (not scenario_ids & set(r.scenario_ids), r.id))
        return refs[:self.rng.choice((1, 2, 2, 3))]

    def slots(self, event_id: int, day: date) -> list[tuple[int, datetime, datetime]]:
        return [(self.rows.add(MeetingSlot.__table__, event_id=event_id, starts_at=start, ends_at=end), start, end)
                for start, end in slot_times(day)]

    def experts(self, event_id: int, at: datetime) -> None:
        for user_id in self.cat.expert_ids:
            self.rows.add(EventExpert.__table__, event_id=event_id, user_id=user_id, assigned_at=at)

    def score_sheet(self, quality: float) -> tuple[dict, float]:
        scores = {name: max(3, min(10, round(quality + self.rng.gauss(0, 0.8)))) for name, _ in CRITERIA}
        total = round(sum(scores[name] * weight for name, weight in CRITERIA) / 10, 1)
        return scores, total

    def amount(self, demand: DemandRef | None, whole_project: bool = False) -> int:
        """万元 within the demand's budget; a challenge's winner signs for the whole project (the
        top of the budget or a little above), a first meeting more often for a pilot."""
        if demand is not None and demand.budget_min is not None:
            high = demand.budget_max or demand.budget_min
            low = high * 0.85 if whole_project else demand.budget_min
            return round_amount(self.rng.uniform(low, high * (1.15 if whole_project else 1.0)))
        return self.rng.choice((120, 200, 300, 500) if whole_project else (30, 50, 80, 120, 150, 200))

    def supplier_pool(self, scenario_ids: set[int], exclude=()) -> list[int]:
        """Supply-side organizations, those with listings in the scenarios first (shuffled within)."""
        pool = self.cat.suppliers(exclude)
        self.rng.shuffle(pool)
        return sorted(pool, key=lambda o: -len(scenario_ids & {s for r in self.cat.listings_by_org[o]
                                                                 for s in r.scenario_ids}))

    def meeting(self, event_id: int, requester: Reg, invitee: Reg, slot, table, status: MeetingStatus,
                created: datetime, decided: datetime | None, enterprise: Reg, supplier: Reg) -> int:
        demand = enterprise.demands[0] if enterprise.demands else None
        shared = [ref for ref in supplier.listings if demand and set(ref.scenario_ids) & set(demand.scenario_ids)]
        listing = (shared or supplier.listings or [None])[0]
        scenario = self.scenario_name((demand.scenario_ids if demand else ())
                                      or (listing.scenario_ids if listing else ()))
        reason = (f"需求「{demand.title}」与「{listing.title}」同属{scenario}场景" if demand and shared
                  else f"{scenario}：对方可能关注相近方向")
        target = listing.title if requester.side is EventSide.ENTERPRISE and listing else (
            demand.title if demand else "贵司的需求")
        meeting_id = self.rows.add(
            Meeting.__table__, event_id=event_id, slot_id=slot, table_number=table,
            requester_id=requester.id, invitee_id=invitee.id, status=status,
            message=f"您好，我们关注到「{target}」，希望当面交流{scenario}方面的合作。"[:500],
            listing_id=listing.id if listing else None, demand_id=demand.id if demand else None,
            reason=reason[:500], created_at=created, decided_at=decided, updated_at=decided or created)
        if status is MeetingStatus.ACCEPTED:
            for reg in (requester, invitee):
                self.rows.add(MeetingSeat.__table__, meeting_id=meeting_id, slot_id=slot, registration_id=reg.id)
        return meeting_id

    def outcomes(self, meeting_id: int, enterprise: Reg, supplier: Reg, planned: OutcomeKind,
                 sides: tuple[Reg, ...], after: datetime, whole_project: bool = False) -> None:
        """Each side's answer; for an intent both usually state one amount (the supplier's a little
        higher at times), and one side may still say "follow-up" pending internal approval."""
        demand = enterprise.demands[0] if enterprise.demands else None
        scenario = self.scenario_name(demand.scenario_ids if demand else supplier.scenario_ids)
        amount = self.amount(demand, whole_project) if planned is OutcomeKind.INTENT else None
        hesitant = planned is OutcomeKind.INTENT and self.rng.random() < 0.2
        for reg in sides:
            outcome, value = planned, amount
            if hesitant and reg is enterprise:
                outcome, value = OutcomeKind.FOLLOW_UP, None
            elif value is not None and reg is supplier and self.rng.random() < 0.25:
                value = round_amount(value * self.rng.uniform(1.05, 1.2))
            if planned is OutcomeKind.FOLLOW_UP and self.rng.random() < 0.1:
                outcome = OutcomeKind.NO_FIT
            recorded = self.moment(after + timedelta(hours=2), after + timedelta(days=self.rng.randint(1, 12)))
            self.rows.add(MeetingOutcome.__table__, meeting_id=meeting_id, registration_id=reg.id, outcome=outcome,
                          amount=value, note=outcome_note(self.rng, outcome, scenario, value),
                          recorded_by_id=reg.attendee_id, recorded_at=recorded)

    def round_candidates(self, before: datetime, exclude_orgs=(), prefer_city: int | None = None) -> list[DemandRef]:
        """Public demands already out before the round closed; larger companies and the host city first,
        as rounds that canvass 规上企业 do."""
        tiers = {"chain_leader": 0, "above_size": 1, "sme": 2, "one_person": 3}
        out = [d for d in self.cat.demands if d.published_at <= before and d.org_id not in exclude_orgs]
        self.rng.shuffle(out)
        return sorted(out, key=lambda d: (self.cat.region_city.get(self.cat.orgs[d.org_id].region_id) != prefer_city,
                                          tiers.get(self.cat.orgs[d.org_id].tier.value, 3) + self.rng.random() * 2))

    # -- the events

    def build(self, existing: set[str]) -> None:
        if FOSHAN not in existing:
            self.foshan()
        if NANSHA not in existing:
            self.nansha()
        if HUANGPU not in existing:
            self.huangpu()

    def foshan(self) -> None:
        rng, cat = self.rng, self.cat
        day1 = self.today - timedelta(days=75)
        day2 = day1 + timedelta(days=1)
        starts, ends = local_at(day1, "08:30"), local_at(day2, "17:30")
        opens, closes = starts - timedelta(days=100), starts - timedelta(days=30)
        year = day1.year
        event_id = self.event(
            FOSHAN, title=f"{year}佛山市制造业数字化智能化转型揭榜比拼大赛（总决赛）", kind=EventKind.CHALLENGE,
            summary=("面向佛山家电、装备制造、金属制品、陶瓷建材等优势产业，公开征集企业数字化智能化转型的真实需求，"
                     "经专家初审、复审遴选入围需求，由解决方案供应商现场揭榜比拼；优胜揭榜方次日与需求企业一对一洽谈、"
                     "签署意向协议，推动“大赛每年见”变为“大赛天天见”。"),
            agenda=agenda(
                ("【第一天 现场揭榜比拼】", (("08:30-09:00", "签到入场"), ("09:00-09:20", "开幕致辞（佛山市工业和信息化局）"),
                                    ("09:20-09:40", "发布入围需求榜单与比拼规则"),
                                    ("09:40-12:00", "现场揭榜比拼（上半场：质量检测与工艺优化）"),
                                    ("13:30-16:30", "现场揭榜比拼（下半场：设备运维与能源管理）"),
                                    ("16:30-17:30", "专家合议，公布优胜揭榜方"))),
                ("【第二天 供需对接】", (("09:30-12:00", "一对一对接洽谈（每场20分钟）"),
                                  ("13:30-17:00", "一对一对接洽谈、意向协议集中签约"))),
            ),
            organiser_name="佛山市工业和信息化局", starts_at=starts, ends_at=ends,
            venue="佛山潭州国际会展中心 3号馆（顺德区北滘镇）", region_id=cat.region_ids.get("440600"),
            registration_opens_at=opens, registration_closes_at=closes, capacity=120, meeting_minutes=SLOT_MINUTES,
            meeting_tables=16, shortlist_published_at=starts - timedelta(days=18),
            results_published_at=local_at(day1, "17:40"), created_at=opens - timedelta(days=12),
            industries=("C38", "C34", "C35", "C33", "C30", "C21"),
            scenarios=("online-intelligent-inspection", "quality-analysis-improvement", "equipment-fault-prediction",
                       "workshop-intelligent-scheduling", "intelligent-energy-management", "advanced-process-control"))
        self.experts(event_id, opens + timedelta(days=20))

        # The round: agreements recorded after the event on a round demand came out of it.
        candidates = self.round_candidates(closes, prefer_city=cat.region_ids.get("440600"))
        agreed = {a.demand_id: a for a in cat.agreements if a.created_at >= ends and a.organization_id in cat.attendee}
        entries = [d for d in candidates if d.id in agreed][:4]
        entries += [d for d in candidates if d not in entries][:FOSHAN_ROUND - len(entries)]
        rng.shuffle(entries)
        withdrawn = {entries[-1].id} if len(entries) >= 20 else set()
        # Experts favour demands of larger companies: typical, budgeted, worth showing others.
        quality = {d.id: (rng.uniform(8.2, 9.3) if d.id in agreed else rng.uniform(5.0, 9.0) + TIER_BONUS.get(
            cat.orgs[d.org_id].tier.value, 0)) for d in entries}
        screened = [d for d in entries if d.id not in withdrawn]
        totals: dict[int, float] = {}
        entry_ids: dict[int, int] = {}
        shortlist_size = round(len(screened) * FOSHAN_SHORTLIST_SHARE)
        order = sorted(screened, key=lambda d: -quality[d.id])
        shortlisted = order[:shortlist_size]
        for d in entries:
            status = (RoundEntryStatus.WITHDRAWN if d.id in withdrawn else
                      RoundEntryStatus.SHORTLISTED if d in shortlisted else RoundEntryStatus.NOT_SELECTED)
            entry_ids[d.id] = self.rows.add(
                EventDemand.__table__, event_id=event_id, demand_id=d.id, entered_by_id=cat.attendee[d.org_id],
                status=status, position=shortlisted.index(d) + 1 if d in shortlisted else None,
                created_at=self.moment(max(opens, d.published_at), closes))
            if d.id in withdrawn:
                continue
            for expert_id in cat.expert_ids:
                scores, total = self.score_sheet(quality[d.id])
                totals[d.id] = totals.get(d.id, 0) + total
                self.rows.add(ScreeningScore.__table__, entry_id=entry_ids[d.id], expert_id=expert_id, scores=scores,
                              total=total, comment=rng.choice(("需求明确，数据基础较好", "场景典型，具备示范推广价值",
                                                               "预算与目标匹配度一般", "建议细化验收指标", "")),
                              submitted_at=self.moment(closes + timedelta(days=2), closes + timedelta(days=10)))

        # Registrations: the round's enterprises, the suppliers who pitch, and visitors.
        enterprise_regs: dict[int, Reg] = {}
        for d in entries:
            if d.org_id in enterprise_regs:
                enterprise_regs[d.org_id].demands.append(d)
                continue
            enterprise_regs[d.org_id] = self.register(event_id, d.org_id, EventSide.ENTERPRISE,
                                                      RegistrationStatus.APPROVED, opens, closes, demands=[d])
        focus = {s for d in shortlisted for s in d.scenario_ids}
        supplier_regs: dict[int, Reg] = {}

        def supplier(org_id: int) -> Reg:
            if org_id not in supplier_regs:
                supplier_regs[org_id] = self.register(event_id, org_id, EventSide.SUPPLIER, RegistrationStatus.APPROVED,
                                                      opens, closes, listings=self.brought_listings(org_id, focus))
            return supplier_regs[org_id]

        winners: list[tuple[DemandRef, int]] = []
        pitch_count = 0
        for d in shortlisted:
            proposers = [p for p in cat.proposals[d.id] if p.organization_id in cat.attendee
                         and p.status is not ProposalStatus.WITHDRAWN]
            pitchers = [p.organization_id for p in proposers][:3]
            if d.id in agreed and agreed[d.id].organization_id not in pitchers:
                pitchers = [agreed[d.id].organization_id] + pitchers[:2]
            for org_id in self.supplier_pool(set(d.scenario_ids), exclude=set(pitchers)):
                if len(pitchers) >= rng.choice((2, 3, 3, 4)):
                    break
                pitchers.append(org_id)
            by_org = {p.organization_id: p for p in proposers if p.submitted_at <= starts}
            scored = []
            for position, org_id in enumerate(pitchers, start=1):
                supplier(org_id)
                pitch_quality = rng.uniform(8.3, 9.4) if agreed.get(d.id) and agreed[d.id].organization_id == org_id \
                    else rng.uniform(5.5, 9.0)
                pitch_id = self.rows.add(Pitch.__table__, entry_id=entry_ids[d.id], organization_id=org_id,
                                         proposal_id=by_org[org_id].id if org_id in by_org else None,
                                         position=position, is_winner=False,
                                         created_at=self.moment(starts - timedelta(days=15),
                                                                starts - timedelta(days=3)))
                total = 0.0
                for expert_id in cat.expert_ids:
                    scores, sheet_total = self.score_sheet(pitch_quality)
                    total += sheet_total
                    self.rows.add(PitchScore.__table__, pitch_id=pitch_id, expert_id=expert_id, scores=scores,
                                  total=sheet_total, comment="",
                                  submitted_at=pitch_time(day1, pitch_count))
                pitch_count += 1
                scored.append((total, pitch_id, org_id))
            best_total, best_pitch, best_org = max(scored)
            if d.id in agreed:  # the supplier the enterprise signed with afterwards won on the day
                best_total, best_pitch, best_org = next(s for s in scored if s[2] == agreed[d.id].organization_id)
            # 榜单空缺: a demand whose best pitch did not convince the experts has no winner.
            if best_total / max(1, len(cat.expert_ids)) >= WINNING_SCORE or d.id in agreed:
                self.rows.by_id[(Pitch.__table__, best_pitch)]["is_winner"] = True
                winners.append((d, best_org))

        # Suppliers who came to talk without pitching, and applications the organiser turned down.
        taken = set(supplier_regs) | set(enterprise_regs)
        for org_id in self.supplier_pool(focus, exclude=taken)[:12]:
            supplier(org_id)
        for org_id in self.supplier_pool(set(), exclude=taken | set(supplier_regs))[:3]:
            self.register(event_id, org_id, EventSide.SUPPLIER, RegistrationStatus.DECLINED, opens, closes,
                          listings=self.brought_listings(org_id, focus), note="本场名额已满，已推荐参加后续专场对接会。")

        # Agreements of the catalog on round demands, recorded after the event by a winner.
        linked = 0
        winner_pairs = {(d.id, org) for d, org in winners}
        for d in shortlisted:
            agreement = agreed.get(d.id)
            if agreement and (d.id, agreement.organization_id) in winner_pairs:
                self.agreement_links[agreement.id] = event_id
                linked += 1

        # Day 2: winners and enterprises talk one to one; a dozen agreements in all.
        slots = self.slots(event_id, day2)
        scheduler = Scheduler([s[0] for s in slots], 16)
        slot_end = {s[0]: s[2] for s in slots}
        intents_left = max(0, FOSHAN_AGREEMENTS - linked)
        pairs: list[tuple[Reg, Reg, OutcomeKind]] = []
        # The signing ceremony features the larger projects: they sign on the spot, the others follow up.
        for d, org_id in sorted(winners, key=lambda w: -(w[0].budget_max or 150)):
            if d.id in agreed and agreed[d.id].organization_id == org_id:
                continue  # signed through its proposal, counted through the agreement
            planned = OutcomeKind.INTENT if intents_left else OutcomeKind.FOLLOW_UP
            intents_left -= planned is OutcomeKind.INTENT
            enterprise = enterprise_regs[d.org_id]
            pairs.append((self.with_demand(enterprise, d), supplier_regs[org_id], planned))
        others = []
        paired = {(e.id, s.id) for e, s, _ in pairs}
        for reg in enterprise_regs.values():
            for sup in self.ranked_suppliers(reg, list(supplier_regs.values()))[:rng.choice((1, 1, 2))]:
                if (reg.id, sup.id) not in paired:
                    paired.add((reg.id, sup.id))
                    others.append((reg, sup, rng.choices((OutcomeKind.NO_FIT, OutcomeKind.FOLLOW_UP), (4, 6))[0]))
        for i in range(min(intents_left, len(others))):
            others[i] = (others[i][0], others[i][1], OutcomeKind.INTENT)
        self.past_meetings(event_id, pairs + others, scheduler, slot_end, starts - timedelta(days=12),
                           starts - timedelta(days=1), recorded=0.92, winners={(e.id, s.id) for e, s, _ in pairs})

    @staticmethod
    def with_demand(reg: Reg, demand: DemandRef) -> Reg:
        """The registration with the demand a meeting is about put first."""
        return Reg(reg.id, reg.org_id, reg.attendee_id, reg.side, reg.status, reg.listings,
                   [demand] + [d for d in reg.demands if d.id != demand.id])

    def ranked_suppliers(self, enterprise: Reg, suppliers: list[Reg]) -> list[Reg]:
        """Counterparts as the matching engine would rank them: shared scenarios first."""
        wanted = enterprise.scenario_ids
        shuffled = suppliers[:]
        self.rng.shuffle(shuffled)
        return sorted(shuffled, key=lambda s: -len(wanted & s.scenario_ids))

    def past_meetings(self, event_id: int, pairs, scheduler: Scheduler, slot_end: dict[int, datetime],
                      requested_from: datetime, requested_until: datetime, recorded: float,
                      owing: set[int] = frozenset(), winners: set[tuple[int, int]] = frozenset()) -> None:
        """Requested, mostly accepted, held; outcomes by both sides for most.

        :param recorded: share of held meetings whose sides both answered (the rest: one or none).
        :param owing: registrations that still owe the outcome of their first two meetings (and
            answered for the others, so their own figures are not empty).
        :param winners: (enterprise, supplier) registrations of a challenge's winning pitches.
        """
        rng = self.rng
        seen: set[tuple[int, int]] = set()
        owed: dict[int, int] = defaultdict(int)
        for enterprise, supplier, planned in pairs:
            if (enterprise.id, supplier.id) in seen:
                continue
            seen.add((enterprise.id, supplier.id))
            requester, invitee = (enterprise, supplier) if rng.random() < 0.55 else (supplier, enterprise)
            created = self.moment(requested_from, requested_until)
            decided = created + timedelta(hours=rng.uniform(1, 40))
            status = rng.choices((MeetingStatus.ACCEPTED, MeetingStatus.DECLINED, MeetingStatus.CANCELLED),
                                 (86, 9, 5))[0]
            if planned is OutcomeKind.INTENT or owing & {enterprise.id, supplier.id}:
                status = MeetingStatus.ACCEPTED
            if status is MeetingStatus.ACCEPTED:
                placed = scheduler.place(rng, enterprise.id, supplier.id)
                if placed is None:
                    continue
                slot_id, table = placed
            else:
                slot_id, table = rng.choice(scheduler.slot_ids), None
            meeting_id = self.meeting(event_id, requester, invitee, slot_id, table, status, created, decided,
                                      enterprise, supplier)
            if status is not MeetingStatus.ACCEPTED:
                continue
            sides: tuple[Reg, ...] = (enterprise, supplier)
            demo_sides = [reg for reg in sides if reg.id in owing and owed[reg.id] < 2]
            if demo_sides:
                for reg in demo_sides:
                    owed[reg.id] += 1
                # The counterpart answered the first one; nobody answered the second yet.
                sides = tuple(reg for reg in sides if reg not in demo_sides and owed[demo_sides[0].id] == 1)
            elif (planned is not OutcomeKind.INTENT and not owing & {enterprise.id, supplier.id}
                  and rng.random() > recorded):
                sides = rng.choice(((enterprise,), (supplier,), ()))
            if sides:
                self.outcomes(meeting_id, enterprise, supplier, planned, sides, slot_end[slot_id],
                              whole_project=(enterprise.id, supplier.id) in winners)

    def nansha(self) -> None:
        rng, cat = self.rng, self.cat
        day = self.today - timedelta(days=5)
        starts, ends = local_at(day, "09:00"), local_at(day, "17:30")
        opens, closes = starts - timedelta(days=40), starts - timedelta(days=4)
        event_id = self.event(
            NANSHA, title=f"{day.year}南沙区“人工智能+先进制造”供需对接会", kind=EventKind.MATCHMAKING,
            summary=("聚焦汽车及零部件、船舶与海工装备、电子信息和智能装备产业，组织制造企业与人工智能解决方案商、"
                     "科研院所开展一对一预约洽谈：会前按需求与方案的匹配推荐对接对象，现场按桌号准时对接，"
                     "会后跟踪洽谈结果与意向签约。"),
            agenda=agenda(("【对接会日程】", (
                ("09:00-09:30", "签到，领取个人对接日程与桌号"), ("09:30-10:50", "一对一对接洽谈（第1-4场）"),
                ("10:50-11:00", "茶歇"), ("11:00-12:00", "一对一对接洽谈（第5-7场）"), ("12:00-13:30", "午餐交流"),
                ("13:30-15:10", "一对一对接洽谈（第8-12场）"), ("15:10-15:20", "茶歇"),
                ("15:20-17:00", "一对一对接洽谈（第13-17场）"), ("17:00-17:30", "意向签约与合影")))),
            organiser_name="南沙区人工智能产业创新中心", starts_at=starts, ends_at=ends,
            venue="广州南沙 明珠湾科创中心 3楼对接大厅", region_id=cat.region_ids.get("440115"),
            registration_opens_at=opens, registration_closes_at=closes, capacity=80, meeting_minutes=SLOT_MINUTES,
            meeting_tables=20, created_at=opens - timedelta(days=7),
            industries=("C36", "C37", "C39", "C35"),
            scenarios=("equipment-fault-prediction", "online-intelligent-inspection", "supply-chain-digital-management",
                       "intelligent-warehousing", "digital-twin-factory", "industrial-llm-assistant"))
        # Enterprises with the demands they bring (entered into the event, not screened).
        demands_by_org: dict[int, list[DemandRef]] = defaultdict(list)
        for d in self.round_candidates(closes, prefer_city=cat.region_ids.get("440100")):
            demands_by_org[d.org_id].append(d)
        org_ids = list(demands_by_org)
        if cat.enterprise1 in org_ids:
            org_ids.remove(cat.enterprise1)
        org_ids = ([cat.enterprise1] if cat.enterprise1 in cat.attendee else []) + org_ids[:25]
        enterprises = []
        for org_id in org_ids:
            demands = demands_by_org.get(org_id, [])[:2]
            enterprises.append(self.register(event_id, org_id, EventSide.ENTERPRISE, RegistrationStatus.APPROVED,
                                             opens, closes, demands=demands))
            for d in demands:
                self.rows.add(EventDemand.__table__, event_id=event_id, demand_id=d.id,
                              entered_by_id=cat.attendee[org_id], status=RoundEntryStatus.ENTERED,
                              created_at=self.moment(max(opens, d.published_at), closes))
        focus = {s for reg in enterprises for s in reg.scenario_ids}
        demo_suppliers = [o for o in (cat.supplier1, cat.supplier2) if o in cat.attendee and cat.listings_by_org[o]]
        supplier_orgs = demo_suppliers + self.supplier_pool(focus, exclude=demo_suppliers)[:38 - len(demo_suppliers)]
        suppliers = [self.register(event_id, org_id, EventSide.SUPPLIER, RegistrationStatus.APPROVED, opens, closes,
                                   listings=self.brought_listings(org_id, focus)) for org_id in supplier_orgs]
        for org_id in self.supplier_pool(set(), exclude=set(supplier_orgs))[:4]:
            self.register(event_id, org_id, EventSide.SUPPLIER,
                          rng.choice((RegistrationStatus.DECLINED, RegistrationStatus.WITHDRAWN)), opens, closes,
                          listings=self.brought_listings(org_id, focus),
                          note=rng.choice(("所带方案与本场聚焦产业不符，建议关注后续专场。", "因日程冲突主动撤回报名。")))

        slots = self.slots(event_id, day)
        scheduler = Scheduler([s[0] for s in slots], 20)
        slot_end = {s[0]: s[2] for s in slots}
        pairs = []
        demo_regs = {reg.id for reg in enterprises + suppliers if reg.org_id in (cat.enterprise1, cat.supplier1)}
        for enterprise in enterprises:
            count = 5 if enterprise.id in demo_regs else rng.randint(2, 6)
            for supplier in self.ranked_suppliers(enterprise, suppliers)[:count]:
                pairs.append((enterprise, supplier))
        for supplier in suppliers:  # the demo suppliers' own requests, so their agendas are full
            if supplier.id in demo_regs:
                pairs += [(e, supplier) for e in self.ranked_suppliers_for(supplier, enterprises)[:4]]
        rng.shuffle(pairs)
        pairs.sort(key=lambda p: not demo_regs & {p[0].id, p[1].id})  # the demo accounts' first
        kinds = proportioned(rng, len(pairs), {OutcomeKind.NO_FIT: 30, OutcomeKind.FOLLOW_UP: 55,
                                               OutcomeKind.INTENT: 15})
        planned = [(e, s, kind) for (e, s), kind in zip(pairs, kinds)]
        self.past_meetings(event_id, planned, scheduler, slot_end, opens + timedelta(days=10),
                           starts - timedelta(hours=12), recorded=0.75, owing=demo_regs)

    def ranked_suppliers_for(self, supplier: Reg, enterprises: list[Reg]) -> list[Reg]:
        offered = supplier.scenario_ids
        shuffled = enterprises[:]
        self.rng.shuffle(shuffled)
        return sorted(shuffled, key=lambda e: -len(offered & e.scenario_ids))

    def huangpu(self) -> None:
        rng, cat = self.rng, self.cat
        day1 = self.today + timedelta(days=21)
        day2 = day1 + timedelta(days=1)
        starts, ends = local_at(day1, "09:00"), local_at(day2, "17:00")
        opens, closes = self.now - timedelta(days=20), local_at(self.today + timedelta(days=14), "18:00")
        season = day1.year + 1 if day1.month >= 10 else day1.year
        event_id = self.event(
            HUANGPU, title=f"黄埔区{season}年度工业人工智能供需对接会暨揭榜比拼", kind=EventKind.MATCHMAKING,
            summary=("第一天为一对一供需对接：报名通过后即可查看推荐的对接对象及推荐理由、预约洽谈时段；第二天为揭榜比拼现场赛："
                     "入围需求由专家现场评分、当场公布优胜揭榜方。欢迎制造企业携需求、解决方案商携方案与产品报名参加。"),
            agenda=agenda(
                ("【第一天 供需对接】", (("09:00-09:30", "签到，领取个人对接日程"),
                                  ("09:30-12:00", "一对一对接洽谈（每场20分钟，10:50茶歇）"),
                                  ("13:30-17:00", "一对一对接洽谈（15:10茶歇）"))),
                ("【第二天 揭榜比拼】", (("09:00-09:20", "开幕致辞（黄埔区工业人工智能中心）"),
                                  ("09:20-12:00", "入围需求现场揭榜比拼（上半场）"), ("13:30-16:00", "现场揭榜比拼（下半场）"),
                                  ("16:00-17:00", "专家合议，公布优胜揭榜方"))),
            ),
            organiser_name="黄埔区工业人工智能中心", starts_at=starts, ends_at=ends,
            venue="广州市黄埔区 科学城会议中心 2号厅", region_id=cat.region_ids.get("440112"),
            registration_opens_at=opens, registration_closes_at=closes, capacity=100, meeting_minutes=SLOT_MINUTES,
            meeting_tables=16, shortlist_published_at=self.now - timedelta(days=3), results_published_at=None,
            created_at=opens - timedelta(days=5),
            industries=("C39", "C27", "C26", "C40", "C38"),
            scenarios=("online-intelligent-inspection", "ai-formula-rd", "equipment-fault-prediction",
                       "production-planning-optimization", "industrial-llm-assistant", "quality-traceability"))
        self.experts(event_id, opens + timedelta(days=1))
        newcomers = cat.newcomer_orgs
        entries = self.round_candidates(self.now - timedelta(days=10), exclude_orgs=newcomers,
                                        prefer_city=cat.region_ids.get("440100"))[:HUANGPU_ROUND]
        quality = {d.id: rng.uniform(5.0, 9.2) for d in entries}
        shortlisted = sorted(entries, key=lambda d: -quality[d.id])[:HUANGPU_SHORTLIST]
        entry_ids = {}
        for d in entries:
            entry_ids[d.id] = self.rows.add(
                EventDemand.__table__, event_id=event_id, demand_id=d.id, entered_by_id=cat.attendee[d.org_id],
                status=RoundEntryStatus.SHORTLISTED if d in shortlisted else RoundEntryStatus.NOT_SELECTED,
                position=shortlisted.index(d) + 1 if d in shortlisted else None,
                created_at=self.moment(max(opens, d.published_at), self.now - timedelta(days=9)))
            for expert_id in cat.expert_ids:
                scores, total = self.score_sheet(quality[d.id])
                self.rows.add(ScreeningScore.__table__, entry_id=entry_ids[d.id], expert_id=expert_id, scores=scores,
                              total=total, comment="",
                              submitted_at=self.moment(self.now - timedelta(days=8), self.now - timedelta(days=4)))
        enterprises: dict[int, Reg] = {}
        for d in entries:
            if d.org_id in enterprises:
                enterprises[d.org_id].demands.append(d)
            else:
                enterprises[d.org_id] = self.register(event_id, d.org_id, EventSide.ENTERPRISE,
                                                      RegistrationStatus.APPROVED, opens, self.now, demands=[d])
        focus = {s for d in entries for s in d.scenario_ids}
        suppliers: dict[int, Reg] = {}
        exclude = newcomers | set(enterprises)
        for d in shortlisted:
            pitchers = [p.organization_id for p in cat.proposals[d.id]
                        if p.organization_id in cat.attendee and p.organization_id not in exclude
                        and p.status in (ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED)][:2]
            for org_id in self.supplier_pool(set(d.scenario_ids), exclude=exclude | set(pitchers)):
                if len(pitchers) >= rng.choice((2, 3)):
                    break
                pitchers.append(org_id)
            proposal_of = {p.organization_id: p.id for p in cat.proposals[d.id]}
            for position, org_id in enumerate(pitchers, start=1):
                if org_id not in suppliers:
                    suppliers[org_id] = self.register(event_id, org_id, EventSide.SUPPLIER, RegistrationStatus.APPROVED,
                                                      opens, self.now, listings=self.brought_listings(org_id, focus))
                self.rows.add(Pitch.__table__, entry_id=entry_ids[d.id], organization_id=org_id,
                              proposal_id=proposal_of.get(org_id), position=position, is_winner=False,
                              created_at=self.moment(self.now - timedelta(days=3), self.now - timedelta(hours=2)))
        # supplier3 and the like take part already; a few more approved, some still pending.
        extra = [o for o in cat.open_demo_orgs if o in cat.attendee and o not in suppliers and o not in enterprises
                 and cat.orgs[o].kind in SUPPLY_KINDS and cat.listings_by_org[o]]
        for org_id in extra + self.supplier_pool(focus, exclude=exclude | set(suppliers) | set(extra))[:4]:
            suppliers[org_id] = self.register(event_id, org_id, EventSide.SUPPLIER, RegistrationStatus.APPROVED,
                                              opens, self.now, listings=self.brought_listings(org_id, focus))
        waiting = self.supplier_pool(focus, exclude=exclude | set(suppliers))[:6]
        for i, org_id in enumerate(waiting):
            status = RegistrationStatus.DECLINED if i == 0 else RegistrationStatus.PENDING
            self.register(event_id, org_id, EventSide.SUPPLIER, status, opens, self.now,
                          listings=self.brought_listings(org_id, focus),
                          note="所带方案与本场聚焦产业不符，建议关注后续专场。" if i == 0 else "")
        pending_enterprises = [d.org_id for d in self.round_candidates(self.now, exclude_orgs=exclude | set(suppliers))
                               if d.org_id not in enterprises][:3]
        for org_id in dict.fromkeys(pending_enterprises):
            self.register(event_id, org_id, EventSide.ENTERPRISE, RegistrationStatus.PENDING, opens, self.now,
                          demands=[d for d in cat.demands if d.org_id == org_id][:1])

        # Day 1 slots; some meetings booked already, some requests awaiting an answer.
        slots = self.slots(event_id, day1)
        scheduler = Scheduler([s[0] for s in slots], 16)
        supplier_regs = list(suppliers.values())
        booked = 0
        for enterprise in enterprises.values():
            for supplier in self.ranked_suppliers(enterprise, supplier_regs)[:rng.choice((0, 1, 2, 2))]:
                requester, invitee = (enterprise, supplier) if rng.random() < 0.5 else (supplier, enterprise)
                created = self.moment(opens + timedelta(days=5), self.now - timedelta(hours=1))
                if booked % 4 == 3:
                    self.meeting(event_id, requester, invitee, rng.choice(scheduler.slot_ids), None,
                                 MeetingStatus.REQUESTED, created, None, enterprise, supplier)
                else:
                    placed = scheduler.place(rng, enterprise.id, supplier.id)
                    if placed:
                        self.meeting(event_id, requester, invitee, placed[0], placed[1], MeetingStatus.ACCEPTED,
                                     created, self.moment(created, created + timedelta(days=1)), enterprise, supplier)
                booked += 1


def add_demo_events(rng: random.Random, now: datetime) -> dict[str, int]:
    """Write the three demo events (those whose slug is not taken yet); returns rows per table.

    Call after the demands, listings, proposals and intent agreements are in the session.
    """
    existing = set(db.session.scalars(sa.select(Event.slug).where(Event.slug.in_((FOSHAN, NANSHA, HUANGPU)))))
    if len(existing) == 3:
        return {}
    builder = EventsBuilder(rng, now, Catalog())
    builder.build(existing)
    counts = builder.rows.write()
    for agreement_id, event_id in builder.agreement_links.items():
        db.session.execute(sa.update(IntentAgreement).where(IntentAgreement.id == agreement_id)
                           .values(event_id=event_id))
    if builder.agreement_links:
        counts["intent_agreements (linked to events)"] = len(builder.agreement_links)
    return counts

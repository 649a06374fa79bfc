"""All models, imported here so that Alembic and `db.metadata` see every table."""
from catalog_app.models.taxonomy import Industry, Region, Scenario, ScenarioStage, Technology
from catalog_app.models.organizations import Organization, OrganizationKind, OrganizationTier
from catalog_app.models.accounts import User, UserRole, UserSession
from catalog_app.models.account_tokens import Invitation
from catalog_app.models.api_tokens import ApiToken
from catalog_app.models.listings import (
    LISTING_CLASS_BY_KIND,
    LISTING_CONTENT_FIELDS,
    Case,
    CaseOutcome,
    Listing,
    ListingKind,
    ListingStatus,
    ListingViewDay,
    MaturityStage,
    OutcomeMetric,
    Product,
    Solution,
)
from catalog_app.models.demands import (
    DEMAND_CONTENT_FIELDS,
    PUBLIC_DEMAND_STATUSES,
    Confidentiality,
    Demand,
    DemandStatus,
)
from catalog_app.models.matches import Match, MatchStatus
from catalog_app.models.moderation import AuditEntry, ReviewDecision, Revision
from catalog_app.models.outbox import OutboxMessage, OutboxStatus
from catalog_app.models.scenario_selections import ScenarioSelection
from catalog_app.models.notification_settings import (
    DigestEntry,
    Frequency,
    MatchFeedback,
    NotificationPreference,
    SavedSearch,
    Verdict,
)
from catalog_app.models.enquiries import Enquiry, EnquiryMessage, EnquiryReport, EnquirySide, EnquiryStatus
from catalog_app.models.proposals import (
    AccessStatus,
    ConfidentialAccess,
    ConfidentialView,
    DeclineReason,
    IntentAgreement,
    MessageSide,
    Proposal,
    ProposalAttachment,
    ProposalMessage,
    ProposalStatus,
)
from catalog_app.models.events import (
    Event,
    EventDemand,
    EventExpert,
    EventKind,
    EventRegistration,
    EventSide,
    EventStatus,
    Meeting,
    MeetingOutcome,
    MeetingSeat,
    MeetingSlot,
    MeetingStatus,
    OutcomeKind,
    Pitch,
    PitchScore,
    RegistrationStatus,
    RoundEntryStatus,
    ScreeningScore,
)

__all__ = [
    "Event", "EventDemand", "EventExpert", "EventKind", "EventRegistration", "EventSide", "EventStatus",
    "Meeting", "MeetingOutcome", "MeetingSeat", "MeetingSlot", "MeetingStatus", "OutcomeKind",
    "Pitch", "PitchScore", "RegistrationStatus", "RoundEntryStatus", "ScreeningScore",
    "ApiToken",
    "Enquiry", "EnquiryMessage", "EnquiryReport", "EnquirySide", "EnquiryStatus",
    "AuditEntry", "ReviewDecision", "Revision",
    "OutboxMessage", "OutboxStatus",
    "DigestEntry", "Frequency", "MatchFeedback", "NotificationPreference", "SavedSearch", "Verdict",
    "AccessStatus", "ConfidentialAccess", "ConfidentialView", "DeclineReason", "IntentAgreement", "MessageSide",
    "Proposal", "ProposalAttachment", "ProposalMessage", "ProposalStatus",
    "Case", "CaseOutcome", "Confidentiality", "Demand", "DemandStatus", "Industry", "Invitation",
    "DEMAND_CONTENT_FIELDS", "LISTING_CLASS_BY_KIND", "LISTING_CONTENT_FIELDS",
    "Listing", "ListingKind", "ListingStatus", "ListingViewDay", "Match", "MatchStatus",
    "MaturityStage", "Organization", "OrganizationKind", "OrganizationTier", "OutcomeMetric",
    "PUBLIC_DEMAND_STATUSES", "Product", "Region", "Scenario", "ScenarioSelection", "ScenarioStage", "Solution",
    "Technology", "User", "UserRole", "UserSession",
]

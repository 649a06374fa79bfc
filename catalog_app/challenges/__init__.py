"""Challenge rounds (揭榜比拼) of an event: demands entered, expert screening, shortlist,
on-site pitches scored on a phone, live ranking and winners.

Layout: `criteria` parses the event's published criteria and computes weighted totals (pure
functions, no database); `permissions` answers who may do what; `entries`, `experts`,
`screening` and `pitches` are the services; `routes` (public, enterprise, expert) and
`staff_routes` (organiser) are thin views; `panel` feeds the event page and the demand page.
"""

"""Demo data: a realistic, reproducible Guangdong industrial-AI catalog for demos and benchmarks.

`flask demo load [--if-empty] [--scale N] [--seed S]` creates organizations across the
province's cities, solutions, products, cases with before/after outcomes, and demands
(some 揭榜挂帅 challenges, some confidential), and the deals between them: suppliers'
proposals with their question threads, shortlists, declines and intent agreements, and
the stored recommendations (matches) the statistics read; all in Simplified Chinese.

Demo accounts, all with the password ``demo12345``: ``accounts.DEMO_ACCOUNTS`` is the one
list (admin, moderator, enterprise1..3, supplier1..3, institute1, service1; the README
table is generated from it), and three expert reviewers (expert1..3) for the events.
Most other organizations also get a member account, named after the contact on file, so
notifications reach somebody.

Events (``events.py``): a past challenge round (``foshan-2026-challenge``), a past
matchmaking day (``nansha-2026-matchmaking``) and an upcoming event open for registration
(``huangpu-2027-matchmaking``), dated relative to the load so every fresh ``make run`` has
one upcoming and two past events.

Layout: ``vocabulary/`` holds the word lists, ``texts.py``, ``case_texts.py``,
``demand_texts.py`` and ``proposal_texts.py`` compose sentences (every sentence names its
industry: tests/demo/test_demo_coherence.py fails on one shared across industries),
``organizations.py``, ``accounts.py``, ``listings.py`` and ``deals.py`` build rows,
``services.py`` writes them in bulk, ``reviews.py`` puts pending rows through moderation,
``cli.py`` is the command.
"""

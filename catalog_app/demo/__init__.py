"""Demo data: a realistic, reproducible Guangdong industrial-AI catalog for demos and benchmarks.

`flask demo load [--if-empty] [--scale N] [--seed S]` creates organizations across the
province's cities, solutions, products, cases with before/after outcomes, and demands
(some 揭榜挂帅 challenges, some confidential), and the deals between them: suppliers'
proposals with their question threads, shortlists, declines and intent agreements, and
the stored recommendations (matches) the statistics read; all in Simplified Chinese.

Demo accounts, all with the password ``demo12345``:

* ``admin@demo.example.com`` (admin), ``moderator@demo.example.com`` (moderator)
* ``enterprise1..3@demo.example.com``: members of the first three enterprises
* ``supplier1..3@demo.example.com``: members of the first three suppliers

Layout: ``vocabulary/`` holds the word lists, ``texts.py``, ``case_texts.py``,
``demand_texts.py`` and ``proposal_texts.py`` compose sentences, ``organizations.py``,
``listings.py`` and ``deals.py`` build rows, ``services.py`` writes them in bulk,
``cli.py`` is the command.
"""

"""Matchmaking events (对接会 / 揭榜比拼 / 路演): the event itself, registration, figures.

`access` is the floor the event features share (meetings, challenge rounds): who organises,
who takes part, who reviews.
"""

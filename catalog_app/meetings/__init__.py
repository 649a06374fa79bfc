"""1:1 meetings at an event (the b2match core): slots, recommended counterparts, booking,
agendas, the organiser's grid, and the outcome asked after the event.

`scheduler` holds the booking rules as plain functions (the property test drives them
directly); `services` wraps them into the use cases the views call (permission, notice,
commit); `counterparts` ranks the other side with the matching engine.
"""

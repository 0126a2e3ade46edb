"""Reaching people outside a turn: the outbox (exactly-once delivery bookkeeping), sending by
SMS or email, what a deliverer reports, notices waiting for a person's next conversation,
and per-sender rate limits.
"""

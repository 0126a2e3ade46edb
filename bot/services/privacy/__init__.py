"""Privacy rights and records: the tamper-evident audit log, everything held about a person (to
show, export or erase), erasure, retention of conversation history, and key rotation.
"""

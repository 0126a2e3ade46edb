"""Carers: what they can always be told, linking by a one-time code, what the person shares
with them, and their messages to the team.
"""

"""Secrets at rest: encryption of free text and phone numbers (Fernet, rotated keys) and keyed
hashes for identifiers we must recognise but must not store. Below bot/store, which uses both.
"""

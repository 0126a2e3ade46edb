"""Consent: the ledger of who a person chose to share each kind of information with, reading
their answers about sharing, the words for it (content/consent.yml), and building what is
shared only from what they saved.
"""

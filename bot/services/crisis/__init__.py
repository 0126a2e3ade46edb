"""Crisis safety: the crisis contacts and replies (content/crisis.yml) and detecting crisis
language in any message (content/crisis_patterns.yml). No Rasa here.
"""

"""Recovery in the person's own words: what recovery means to them, goals and small steps, the
stress bucket (and its picture), check-ins, and noticing when things feel stuck.
"""

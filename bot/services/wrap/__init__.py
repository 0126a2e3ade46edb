"""The Wellness Recovery Action Plan: its sections and questions (content/wrap.yml), saving an
answer at a time, edits in the person's words, and the plan as they take it away (SMS pages,
a printable page, a data export and its short-lived links).
"""

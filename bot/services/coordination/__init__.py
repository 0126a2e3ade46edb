"""What the care coordinator sees and does: the caseload and a person's shared plan on the
dashboard, acknowledging what was shared (and telling the person), reminders about unread
items, and "review suggested" flags raised with the person's agreement.
"""

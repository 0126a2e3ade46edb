"""SMS by Twilio: taking in a text once per MessageSid, the carrier keywords (STOP, START,
HELP), the rules for one inbound text, delivery reports, request signing, phone numbers in
E.164, and what Alongside says about SMS itself (content/sms.yml).
"""

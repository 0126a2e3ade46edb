"""Alongside: a conversational assistant for recovery-focused mental health care coordination."""

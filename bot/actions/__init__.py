"""Custom actions, one module per capability. Each reads the tracker, calls a service, replies.

rasa-sdk imports every module in this package and registers the actions it finds.
"""

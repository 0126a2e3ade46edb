"""The web chat: conversations issued by the server and kept in a signed cookie, and its own
words (content/webchat.yml).
"""

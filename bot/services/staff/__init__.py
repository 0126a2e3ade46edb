"""Care coordinators' accounts: creating and disabling them, passwords (scrypt, checked against
common ones), throttled sign-in, and signed-in dashboard sessions kept on the server.
"""

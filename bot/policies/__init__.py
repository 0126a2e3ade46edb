"""Custom dialogue policies (deterministic only)."""

"""One module per operation; each exposes ``run(invocation) -> ACK`` (contract §3)."""

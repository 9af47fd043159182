"""The trunk: its layout, config, state, ledger, CODEOWNERS scope and the only place git runs."""

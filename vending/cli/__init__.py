"""The command-line interface: the click group, one module per command, one printer."""

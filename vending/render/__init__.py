"""Render stage: each subscription's files, and the trunk files derived from all of them."""

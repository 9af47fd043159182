"""The trunk's layout: every path and reserved name of the trunk, spelled once.

Plain string constants (and tuples of them) only: ``vending interface check`` reads this file without
importing it, so a release's layout can be compared with the working tree's.
"""

from __future__ import annotations

CONFIG_FILE = "vending.yaml"
"""The trunk's configuration, at the root."""

CODEOWNERS_FILE = "CODEOWNERS"
"""The CODEOWNERS file vending generates, at the root."""

GITHUB_CODEOWNERS = ".github/CODEOWNERS"
DOCS_CODEOWNERS = "docs/CODEOWNERS"
CODEOWNERS_LOCATIONS = (GITHUB_CODEOWNERS, CODEOWNERS_FILE, DOCS_CODEOWNERS)
"""Where GitHub looks for CODEOWNERS, in order; the first one found is used."""

ADMIN_FILES = (CONFIG_FILE, CODEOWNERS_FILE, GITHUB_CODEOWNERS, DOCS_CODEOWNERS)
"""Files only admins change: a submit or decommission never writes them."""

ADMIN_ONLY_PATTERNS = ("/vending.yaml", "/CODEOWNERS", "/.github/CODEOWNERS")
"""CODEOWNERS patterns of the admin files, listed last in the generated CODEOWNERS so that they win."""

INDEX_FILE = "index.json"
"""Each environment's index of live and decommissioned subscriptions, in the environment's directory."""

KUSTOMIZATION_FILE = "kustomization.yaml"
"""Each environment's kustomization, in the environment's directory (also used in the Flux skeleton)."""

REQUEST_FILE = "request.yaml"
TERRAFORM_FILE = "main.tf"
FLUX_FILE = "terraform.yaml"
SUBSCRIPTION_FILES = (REQUEST_FILE, TERRAFORM_FILE, FLUX_FILE)
"""The files of one subscription's directory, ``<env path>/<name>/``."""

CLUSTERS_DIR = "clusters"
"""The Flux skeleton lives in ``clusters/<cluster>/``."""

RESERVED_TOP_LEVEL = (CONFIG_FILE, CODEOWNERS_FILE, ".github", CLUSTERS_DIR, ".git")
"""First path segments no environment may use: they hold the trunk's own files."""

ALWAYS_CHECKED_OUT = (".github", "docs")
"""Directories a sparse clone always checks out besides the root's files: where else GitHub looks for
CODEOWNERS."""

FILES_ONLY = ".vending-files-only"
"""A directory that never exists: naming it in a sparse-checkout cone checks out its parent's files only."""

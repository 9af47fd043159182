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

LEGACY_INDEX_FILE = "index.json"
"""The 0.x layout's index of each environment, rewritten by every change; only the migration reads it."""

KUSTOMIZATION_FILE = "kustomization.yaml"
"""Each environment's kustomization, in the environment's directory, listing its shard folders and written
only by ``vending init`` and the migration; also in each shard, each subscription and the Flux skeleton."""

SHARDS_DIR = "_shards"
"""``<env path>/_shards/<hh>/kustomization.yaml`` lists ``../../<name>`` for every subscription of the
environment whose name's sha256 hex digest starts with ``hh``: 256 fixed folders."""

NETWORKS_DIR = "_networks"
NETWORK_FILE = "ranges.json"
"""``<env path>/_networks/<a>.<b>/ranges.json``: the address ranges of the environment's subscriptions that
fall in the block ``a.b.0.0/16`` (a range wider than a /16 is recorded in every block it covers)."""

DECOMMISSIONED_DIR = "_decommissioned"
"""``<env path>/_decommissioned/<hh>/<name>.json``: one tombstone per decommissioned name."""

REQUEST_FILE = "request.yaml"
TERRAFORM_FILE = "main.tf"
FLUX_FILE = "terraform.yaml"
FACTS_FILE = "facts.json"
"""What validation needs of a subscription beside its request: workload, deletion policy, networks."""

SUBSCRIPTION_FILES = (REQUEST_FILE, TERRAFORM_FILE, FLUX_FILE, KUSTOMIZATION_FILE, FACTS_FILE)
"""The files of one subscription's directory, ``<env path>/<name>/``."""

CLUSTERS_DIR = "clusters"
"""The Flux skeleton lives in ``clusters/<cluster>/``."""

STATUS_DIR = "status"
"""``status/<env>/<hh>/<name>.json``: the last recorded controller status of each subscription (one small
file per subscription, sharded like the tombstones), written only by ``vending status --record``."""

RESERVED_TOP_LEVEL = (CONFIG_FILE, CODEOWNERS_FILE, ".github", CLUSTERS_DIR, ".git", STATUS_DIR)
"""First path segments no environment may use: they hold the trunk's own files."""

ALWAYS_CHECKED_OUT = (".github", "docs")
"""Directories a sparse clone always checks out besides the root's files: where else GitHub looks for
CODEOWNERS."""

FILES_ONLY = ".vending-files-only"
"""A directory that never exists: naming it in a sparse-checkout cone checks out its parent's files only."""

RENDER_HASH_ANNOTATION = "vending.dev/render-hash"
"""The annotation on each rendered ``Terraform`` object: a digest of the subscription's rendered files."""

APPROVAL_FILE = "approval.json"
"""``<env path>/<name>/approval.json``: the approval of the subscription's pending plan (written only by
``vending approve``, removed by the next change of the request); the rendered object carries ``approvePlan``
only while the approval's digest matches the current render."""

#!/usr/bin/env bash
# Records the controller's status in the trunk, for the scheduled status jobs (GitHub, Azure DevOps).
#
# Every input arrives as an environment variable, never as text pasted into a script:
#   VEND_TRUNK              trunk URL or path
#   VEND_IDENTITY           identity that owns status/ in the trunk's CODEOWNERS (vending --as)
#   VEND_BRANCH             trunk branch (default main)
#   VEND_KUBECONFIG         path of a read-only kubeconfig (get/list on terraforms, and on secrets in the
#                           Flux namespace for subscription ids)
#   VEND_WITH_SECRETS       true (default) to read the outputs Secrets too | false
#   VEND_TRUNK_TOKEN        token for an https trunk, sent as an extra HTTP header (never stored)
#   VEND_TRUNK_TOKEN_SCHEME basic (default: user x-access-token) | bearer
#   VEND_ADO_ACCESS_TOKEN   the Azure DevOps job token, used only for a trunk on Azure Repos when
#                           VEND_TRUNK_TOKEN is empty
# The status file is written to a private temporary folder and removed on exit.
set -euo pipefail

fail() {
  echo "status.sh: $*" >&2
  exit 2
}

[[ -n ${VEND_TRUNK:-} ]] || fail "VEND_TRUNK is required"
[[ -n ${VEND_IDENTITY:-} ]] || fail "VEND_IDENTITY is required"
[[ -n ${VEND_KUBECONFIG:-} && -r $VEND_KUBECONFIG ]] || fail "VEND_KUBECONFIG must name a readable kubeconfig"

trunk_auth() {
  [[ $VEND_TRUNK =~ ^(https://([^/@]+)/) ]] || return 0
  local prefix=${BASH_REMATCH[1]} host=${BASH_REMATCH[2],,} token=${VEND_TRUNK_TOKEN:-}
  local scheme=${VEND_TRUNK_TOKEN_SCHEME:-basic} header
  if [[ -z $token && ( $host == dev.azure.com || $host =~ ^[a-z0-9][a-z0-9-]*\.visualstudio\.com$ ) ]]; then
    token=${VEND_ADO_ACCESS_TOKEN:-} scheme=bearer
  fi
  [[ -n $token ]] || fail "recording status to https://$host needs a trunk token"
  case "$scheme" in
    basic) header="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$token" | base64 -w0)" ;;
    bearer) header="AUTHORIZATION: bearer $token" ;;
    *) fail "VEND_TRUNK_TOKEN_SCHEME must be basic or bearer" ;;
  esac
  if [[ ${GITHUB_ACTIONS:-} == true ]]; then
    printf '::add-mask::%s\n' "${header#AUTHORIZATION: * }"
  fi
  export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="http.${prefix}.extraheader" GIT_CONFIG_VALUE_0="$header"
}

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
status_file="$workdir/terraforms.json"
kinds=terraforms.infra.contrib.fluxcd.io
if [[ ${VEND_WITH_SECRETS:-true} == true ]]; then
  kinds="$kinds,secrets"
fi
(umask 077 && kubectl --kubeconfig "$VEND_KUBECONFIG" get "$kinds" --all-namespaces --output json >"$status_file")

trunk_auth
vending status --trunk "$VEND_TRUNK" --branch "${VEND_BRANCH:-main}" --from "$status_file" \
  --record --as "$VEND_IDENTITY"

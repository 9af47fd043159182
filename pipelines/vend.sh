#!/usr/bin/env bash
# Runs vending for the pipeline templates (GitHub composite action, Azure DevOps template).
#
# Every input arrives as an environment variable, never as text pasted into a script:
#   VEND_MODE               submit | validate | diff
#   VEND_REQUESTS           request files or globs, separated by spaces or newlines (no spaces in paths)
#   VEND_TRUNK              trunk URL or path (required for submit)
#   VEND_IDENTITY           pipeline identity, the committer (required for submit); "{environment}"
#                           in it is replaced by VEND_ENVIRONMENT
#   VEND_ENVIRONMENT        the environment the host verified for this job (GitHub: the OIDC token's
#                           environment claim, set by the reusable workflow; Azure DevOps: Environment.Name)
#   VEND_BRANCH             trunk branch (default main)
#   VEND_DRY_RUN            true | false
#   VEND_EXPECT_DIFF        submit: the review binding of the reviewed diff (diff-sha256:...); submit then
#                           refuses (exit 2, nothing committed) when the requests or their subscriptions
#                           changed since review. Empty: no binding.
#   VEND_SKIP_AZURE_CHECKS  true | false
#   VEND_ARM_ENDPOINT       Azure Resource Manager endpoint (optional)
#   VEND_TRUNK_TOKEN        token for an https trunk, sent as an extra HTTP header (required to submit
#                           to an https trunk, unless VEND_ADO_ACCESS_TOKEN applies)
#   VEND_TRUNK_TOKEN_SCHEME basic (default: user x-access-token, works for GitHub and Azure Repos PATs) | bearer
#   VEND_ADO_ACCESS_TOKEN   the Azure DevOps job token (System.AccessToken): used, as a bearer header, only
#                           when VEND_TRUNK_TOKEN is empty and the trunk is on dev.azure.com or
#                           *.visualstudio.com; never sent to any other host
# On Azure DevOps, AzureCLI@2 with addSpnToEnvironment provides servicePrincipalId, tenantId and idToken.
#
# Mode diff writes the pull-request comment (vending diff --markdown) to a file and hands it to the host:
# GitHub: appended to $GITHUB_STEP_SUMMARY, step outputs diff-hash and diff-markdown; Azure DevOps:
# ##vso[task.uploadsummary] and the output variable diffHash.
#
# Flags for a subcommand are collected in an array named after it (global_args, submit_args,
# validate_args, diff_args); the test suite checks those flags against the CLI.
set -euo pipefail
shopt -s globstar extglob

fail() {
  printf 'vending pipeline: %s\n' "$1" >&2
  exit 2
}

flag() { # flag NAME VALUE -> succeeds when VALUE is true, fails when false, exits otherwise
  case "${2,,}" in
    true) return 0 ;;
    false | '') return 1 ;;
    *) fail "$1 must be true or false, got '$2'" ;;
  esac
}

expand_requests() {
  local pattern
  requests=()
  # Unquoted on purpose: split on whitespace and expand globs (an unmatched glob stays as
  # written, so vending reports it as a missing file).
  for pattern in ${VEND_REQUESTS:-}; do
    requests+=("$pattern")
  done
  ((${#requests[@]} > 0)) || fail "no request files given"
}

trunk_host() { # the host of an https trunk URL without userinfo or port; fails for anything else
  [[ ${VEND_TRUNK:-} =~ ^https://([^/?#]+)/ ]] || return 1
  local authority=${BASH_REMATCH[1],,}
  [[ $authority != *@* ]] || return 1
  printf '%s' "${authority%:*([0-9])}"
}

azure_devops_host() {
  [[ $1 == dev.azure.com || $1 =~ ^[a-z0-9][a-z0-9-]*\.visualstudio\.com$ ]]
}

trunk_auth() {
  local token=${VEND_TRUNK_TOKEN:-} scheme=${VEND_TRUNK_TOKEN_SCHEME:-basic} host header
  host=$(trunk_host) || return 0
  if [[ -z $token ]] && azure_devops_host "$host"; then
    token=${VEND_ADO_ACCESS_TOKEN:-} scheme=bearer
  fi
  if [[ -z $token ]]; then
    if [[ ${VEND_MODE:-submit} == submit ]] && ! flag dry-run "${VEND_DRY_RUN:-false}"; then
      fail "submit to https://$host needs a trunk token (GitHub: secrets: TRUNK_TOKEN; Azure DevOps: trunkToken)"
    fi
    return 0
  fi
  case "$scheme" in
    basic) header="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$token" | base64 -w0)" ;;
    bearer) header="AUTHORIZATION: bearer $token" ;;
    *) fail "VEND_TRUNK_TOKEN_SCHEME must be basic or bearer" ;;
  esac
  if [[ ${GITHUB_ACTIONS:-} == true ]]; then
    printf '::add-mask::%s\n' "${header#AUTHORIZATION: * }"
  fi
  # Handed to git through the environment only: nothing is written to a git config file.
  [[ $VEND_TRUNK =~ ^(https://[^/]+/) ]]
  export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="http.${BASH_REMATCH[1]}.extraheader" GIT_CONFIG_VALUE_0="$header"
}

resolve_identity() {
  [[ ${VEND_IDENTITY:-} == *'{environment}'* ]] || return 0
  [[ -n ${VEND_ENVIRONMENT:-} ]] || fail "identity '$VEND_IDENTITY' names {environment}, but the host verified no environment for this job"
  VEND_IDENTITY=${VEND_IDENTITY//'{environment}'/$VEND_ENVIRONMENT}
}

azure_devops_credential() {
  # Workload identity federation for azure-identity, from what AzureCLI@2 exposes.
  [[ -n ${idToken:-} && -z ${AZURE_FEDERATED_TOKEN_FILE:-} ]] || return 0
  local token_file
  token_file=$(umask 077 && mktemp "${AGENT_TEMPDIRECTORY:-${TMPDIR:-/tmp}}/vending-oidc.XXXXXX")
  printf '%s' "$idToken" >"$token_file"
  export AZURE_FEDERATED_TOKEN_FILE="$token_file"
  export AZURE_CLIENT_ID="${servicePrincipalId:?}" AZURE_TENANT_ID="${tenantId:?}"
}

run_submit() {
  [[ -n ${VEND_TRUNK:-} ]] || fail "submit needs a trunk"
  [[ -n ${VEND_IDENTITY:-} ]] || fail "submit needs an identity"
  submit_args=(--trunk "$VEND_TRUNK" --as "$VEND_IDENTITY" --branch "${VEND_BRANCH:-main}")
  if flag dry-run "${VEND_DRY_RUN:-false}"; then submit_args+=(--dry-run); fi
  if [[ -n ${VEND_EXPECT_DIFF:-} ]]; then submit_args+=(--expect-diff "$VEND_EXPECT_DIFF"); fi
  if flag skip-azure-checks "${VEND_SKIP_AZURE_CHECKS:-false}"; then
    submit_args+=(--skip-azure-checks)
  elif [[ -n ${VEND_ARM_ENDPOINT:-} ]]; then
    submit_args+=(--arm-endpoint "$VEND_ARM_ENDPOINT")
  fi
  exec vending "${global_args[@]}" submit "${submit_args[@]}" -- "${requests[@]}"
}

run_validate() {
  validate_args=()
  if [[ -n ${VEND_TRUNK:-} ]]; then validate_args+=(--trunk "$VEND_TRUNK" --branch "${VEND_BRANCH:-main}"); fi
  if ! flag skip-azure-checks "${VEND_SKIP_AZURE_CHECKS:-false}"; then
    validate_args+=(--azure)
    if [[ -n ${VEND_ARM_ENDPOINT:-} ]]; then validate_args+=(--arm-endpoint "$VEND_ARM_ENDPOINT"); fi
  fi
  exec vending "${global_args[@]}" validate "${validate_args[@]}" -- "${requests[@]}"
}

temp_dir() {
  printf '%s' "${RUNNER_TEMP:-${AGENT_TEMPDIRECTORY:-${TMPDIR:-/tmp}}}"
}

json_field() { # json_field FILE KEY -> the string value of KEY in the JSON document FILE (empty if none)
  python3 -c 'import json, sys; value = json.load(open(sys.argv[1])).get(sys.argv[2]); print(value if isinstance(value, str) else "", end="")' "$1" "$2"
}

publish_diff() { # publish_diff COMMENT HASH: hand the comment and the binding to the host
  local delimiter
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then cat "$1" >>"$GITHUB_STEP_SUMMARY"; fi
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then
    delimiter="vending_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    { printf 'diff-hash=%s\ndiff-markdown<<%s\n' "$2" "$delimiter"; cat "$1"; printf '%s\n' "$delimiter"; } >>"$GITHUB_OUTPUT"
  fi
  if [[ ${TF_BUILD:-} == True ]]; then
    printf '##vso[task.uploadsummary]%s\n' "$1"
    printf '##vso[task.setvariable variable=diffHash;isOutput=true]%s\n' "$2"
  fi
}

run_diff() {
  [[ -n ${VEND_TRUNK:-} ]] || fail "diff needs a trunk"
  diff_args=(--trunk "$VEND_TRUNK" --branch "${VEND_BRANCH:-main}" --markdown)
  if [[ -n ${VEND_IDENTITY:-} ]]; then diff_args+=(--as "$VEND_IDENTITY"); fi
  local document comment hash code=0
  document=$(mktemp "$(temp_dir)/vending-diff.XXXXXX")
  comment="$document.md"
  vending "${global_args[@]}" diff "${diff_args[@]}" -- "${requests[@]}" >"$document" || code=$?
  json_field "$document" markdown >"$comment" || true
  hash=$(json_field "$document" hash || true)
  cat "$document"
  if [[ -s $comment ]]; then
    publish_diff "$comment" "$hash"
  fi
  exit "$code"
}

main() {
  global_args=(--output json)
  expand_requests
  resolve_identity
  trunk_auth
  azure_devops_credential
  case "${VEND_MODE:-submit}" in
    submit) run_submit ;;
    validate) run_validate ;;
    diff) run_diff ;;
    *) fail "mode must be submit, validate or diff, got '${VEND_MODE}'" ;;
  esac
}

main "$@"

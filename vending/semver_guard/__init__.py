"""The semver guard: extract the versioned interface at a git ref and now, classify the differences, check
that ``VERSION`` is bumped enough."""

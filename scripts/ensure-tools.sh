#!/usr/bin/env bash
# Makes sure the real engines the tests compare against are installed: redis-server, pcre2test and
# Chromium. As root on Debian it installs what is missing with apt-get; otherwise it stops and names
# the packages to install.
set -euo pipefail

declare -A pkg=([redis-server]=redis-server [pcre2test]=pcre2-utils [chromium]=chromium)
missing=()
for tool in redis-server pcre2test chromium; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-tools: installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "ensure-tools: missing system packages: ${missing[*]}" >&2
echo "  install them first, e.g.: sudo apt-get install ${missing[*]}" >&2
exit 1

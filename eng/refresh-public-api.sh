#!/usr/bin/env bash
# Brings src/TopicKit*/PublicAPI.Unshipped.txt in line with the public API, from the analyzer's own diagnostics:
# every symbol RS0016 reports (public but not listed) is added, every symbol RS0017 reports (listed but gone) is
# removed, and the build is repeated until neither is left. It does what the analyzer's code fix does (the text is
# the analyzer's), without the fix-all's lost edits when several entries of one record change at once.
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(src/TopicKit src/TopicKit.MLNet)
for project in "${projects[@]}"; do
  file="$project/PublicAPI.Unshipped.txt"
  for pass in 1 2 3; do
    log=$(mktemp)
    dotnet build "$project" -c Release --no-incremental -p:BuildProjectReferences=false >"$log" 2>&1 || true
    added=$(grep -oP "error RS0016: Symbol '\K.*(?=' is not part of the declared public API)" "$log" | sort -u || true)
    removed=$(grep -oP "error RS0017: Symbol '\K.*(?=' is part of the declared API)" "$log" | sort -u || true)
    other=$(grep -E " error " "$log" | grep -vE "error RS001[67]:" | sort -u || true)
    rm -f "$log"
    if [ -n "$other" ]; then
      echo "$project: fix these build errors first:" >&2
      echo "$other" >&2
      exit 1
    fi
    if [ -z "$added" ] && [ -z "$removed" ]; then
      echo "$project: PublicAPI.Unshipped.txt is up to date"
      break
    fi
    body=$(tail -n +2 "$file")
    if [ -n "$removed" ]; then
      body=$(grep -vxF -f <(printf '%s\n' "$removed") <<<"$body" || true)
    fi
    { echo "#nullable enable"; printf '%s\n%s\n' "$body" "$added" | grep -v '^$' | LC_ALL=C sort -f | uniq; } >"$file.tmp"
    mv "$file.tmp" "$file"
    echo "$project: pass $pass added $(grep -c . <<<"$added" || true), removed $(grep -c . <<<"$removed" || true)"
  done
done

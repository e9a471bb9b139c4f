#!/usr/bin/env bash
# Nu HTML Checker (vnu.jar from the npm package vnu-jar) over a built site.
#
#   bash tests/web/vnu.sh DIR
#
# Checks every HTML file under DIR with
#   java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html
# Files named fragment.html (the CMS fragments: report body without an
# <html> shell) are checked wrapped in a minimal zh-CN document, so their own
# markup is validated (line numbers are reported as in the file).
# Also checks every .css file (vnu --css) unless NIANBAO_VNU_NO_CSS=1.
#
# Exit status: 0 no errors, 1 errors (printed), 2 usage or set-up error.
set -euo pipefail

usage() { echo "usage: bash tests/web/vnu.sh DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
DIR=$1
[ -d "$DIR" ] || { echo "error: $DIR is not a folder" >&2; usage; }
DIR=$(cd "$DIR" && pwd -P)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
JAR="$ROOT/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$JAR" ]; then
  echo "error: $JAR not found; run \`npm ci\` in $ROOT" >&2
  exit 2
fi
if ! command -v java >/dev/null 2>&1; then
  echo "error: java not found; vnu.jar needs Java 17 or later (apt-get install -y --no-install-recommends default-jre-headless)" >&2
  exit 2
fi
JAVA_MAJOR=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
if [ -z "$JAVA_MAJOR" ] || [ "$JAVA_MAJOR" -lt 17 ]; then
  echo "error: vnu.jar needs Java 17 or later; \`java -version\` says ${JAVA_MAJOR:-unknown}" >&2
  exit 2
fi

HTML_COUNT=$(find "$DIR" -type f \( -name '*.html' -o -name '*.htm' -o -name '*.xhtml' \) | wc -l)
FRAG_COUNT=$(find "$DIR" -type f -name 'fragment.html' | wc -l)
if [ "$HTML_COUNT" -eq 0 ]; then
  echo "vnu: no HTML files under $DIR: FAIL"
  exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-vnu.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Check a copy, so that fragments can be wrapped without touching DIR.
CHECK="$WORK/site"
cp -a "$DIR" "$CHECK"
while IFS= read -r -d '' f; do
  {
    printf '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>fragment</title></head><body>\n'
    cat "$f"
    printf '\n</body></html>\n'
  } > "$f.wrapped"
  mv "$f.wrapped" "$f"
done < <(find "$CHECK" -type f -name 'fragment.html' -print0)

# HTML and CSS in separate runs: with --also-check-css, or a folder checked
# with --skip-non-css, vnu 26.9 reports line numbers one off.
set +e
java -Xss4m -jar "$JAR" --errors-only --skip-non-html --format gnu --asciiquotes \
  "$CHECK" > "$WORK/out" 2>&1
STATUS=$?
CSS_FILES=()
if [ "${NIANBAO_VNU_NO_CSS:-}" != 1 ]; then
  while IFS= read -r -d '' f; do CSS_FILES+=("$f"); done \
    < <(find "$CHECK" -type f -name '*.css' -print0 | sort -z)
fi
if [ ${#CSS_FILES[@]} -gt 0 ]; then
  java -jar "$JAR" --errors-only --css --format gnu --asciiquotes \
    "${CSS_FILES[@]}" >> "$WORK/out" 2>&1
  CSS_STATUS=$?
  [ "$CSS_STATUS" -eq 0 ] || STATUS=$CSS_STATUS
fi
set -e

# Report paths relative to DIR, and fragment line numbers as in the file
# (the wrapper adds one line before it).
sed -e "s#file:$CHECK/##g" -e "s#$CHECK/##g" "$WORK/out" |
  perl -pe 's/^("[^"]*fragment\.html"):(\d+)\.(\d+)(?:-(\d+)\.(\d+))?/$1.":".($2-1).".".$3.(defined $4 ? "-".($4-1).".".$5 : "")/e' \
  > "$WORK/report"
ERRORS=$(grep -c ': error' "$WORK/report" || true)
if [ -s "$WORK/report" ]; then
  cat "$WORK/report"
fi

if [ "$STATUS" -ne 0 ] || [ "$ERRORS" -gt 0 ]; then
  if [ "$ERRORS" -eq 0 ]; then
    echo "vnu: java exited $STATUS without an error line (see above)"
  fi
  echo "vnu: $HTML_COUNT HTML file(s) ($FRAG_COUNT fragment(s)) and ${#CSS_FILES[@]} CSS file(s) checked under $DIR, $ERRORS error(s): FAIL"
  exit 1
fi
echo "vnu: $HTML_COUNT HTML file(s) ($FRAG_COUNT fragment(s)) and ${#CSS_FILES[@]} CSS file(s) checked under $DIR, 0 errors: PASS"

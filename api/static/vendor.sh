#!/bin/sh
# Re-fetch the Swagger UI assets served at /docs (so /docs works with no internet).
# Usage: sh api/static/vendor.sh [VERSION]   (needs npm; writes api/static/swagger-ui/)
set -eu
VERSION="${1:-5.35.0}"
HERE="$(cd "$(dirname "$0")" && pwd)"
TARGET="$HERE/swagger-ui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null
tar -xzf swagger-ui-dist-*.tgz
mkdir -p "$TARGET"
for file in swagger-ui-bundle.js swagger-ui.css favicon-32x32.png LICENSE; do
    cp "package/$file" "$TARGET/$file"
done
echo "$VERSION" > "$TARGET/VERSION"
echo "swagger-ui-dist $VERSION -> $TARGET"

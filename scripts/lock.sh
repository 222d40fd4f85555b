#!/usr/bin/env bash
# Re-resolve the lock after a change to pyproject.toml's dependencies, then export the
# hashed requirement files that ./dev, the bundle build and CI install from (pip only, no uv
# needed there). Needs uv (pip install uv). Commit uv.lock and requirements/ together.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
UV="${UV:-uv}"
"$UV" lock ${UPGRADE:+--upgrade}
export_one() {  # file, then uv export options
    local out="requirements/$1"; shift
    "$UV" export --quiet --frozen --no-emit-project --no-header --format requirements-txt "$@" \
        -o "$out"
}
export_one app.txt --no-default-groups --group build
export_one test.txt --no-default-groups --extra test --group build
export_one bundle.txt --no-default-groups --extra package --group build
export_one mutate.txt --no-default-groups --extra test --extra mutate --group build
echo "lock: uv.lock and requirements/{app,test,bundle,mutate}.txt written"

#!/usr/bin/env bash
# Test prep for KubernetesSchemaTests: the upstream CRD schemas that greenshift's Kueue and
# Karmada manifests must satisfy, read from upstream at pinned releases (never copied into the
# repository) and written as JSON into OUT_DIR (default .build/crds):
#   clusterqueue.v1beta1.json       kueue.x-k8s.io ClusterQueue, Kueue $KUEUE_REF
#   propagationpolicy.v1alpha1.json policy.karmada.io PropagationPolicy, Karmada $KARMADA_REF
# From GitHub, or from git mirrors OWNER+NAME/repo under $UPSTREAM_MIRROR when set. Needs python3
# with PyYAML (Debian's python3-yaml, installed when missing, as curl is), which the tests also
# use to read the YAML greenshift writes.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-.build/crds}
KUEUE_REF=${KUEUE_REF:-v0.19.2}
KARMADA_REF=${KARMADA_REF:-v1.18.2}

missing=()
python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
[ -n "${UPSTREAM_MIRROR:-}" ] || command -v curl >/dev/null || missing+=(curl ca-certificates)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} with apt-get..."
    SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

upstream() { # owner/name ref path
    local mirror="${UPSTREAM_MIRROR:-}/${1/\//+}/repo"
    if [ -n "${UPSTREAM_MIRROR:-}" ] && git --git-dir="$mirror" cat-file -e "$2:$3" 2>/dev/null; then
        git --git-dir="$mirror" show "$2:$3"
    else
        curl -fsSL --retry 2 --max-time 60 "https://raw.githubusercontent.com/$1/$2/$3"
    fi
}

# The schemas are upstream's, never copied here: without the network (and without a mirror) there
# is nothing to check against, which is said loudly and reported with status 77 ("skipped").
if [ -z "${UPSTREAM_MIRROR:-}" ] && ! curl -fsS --max-time 20 -o /dev/null "https://raw.githubusercontent.com/kubernetes-sigs/kueue/$KUEUE_REF/README.md" 2>/dev/null; then
    echo "SKIPPED: raw.githubusercontent.com is unreachable and UPSTREAM_MIRROR is not set; the Kueue and Karmada manifests were not checked against their CRD schemas" >&2
    exit 77
fi

schema() { # version: the openAPIV3Schema of that version of the CRD on stdin
    python3 -c '
import json, sys, yaml
crd = yaml.safe_load(sys.stdin)
version = next(v for v in crd["spec"]["versions"] if v["name"] == sys.argv[1])
json.dump({"group": crd["spec"]["group"], "kind": crd["spec"]["names"]["kind"], "version": sys.argv[1],
           "schema": version["schema"]["openAPIV3Schema"]}, sys.stdout)' "$1"
}

mkdir -p "$OUT"
upstream kubernetes-sigs/kueue "$KUEUE_REF" config/components/crd/bases/kueue.x-k8s.io_clusterqueues.yaml \
    | schema v1beta1 > "$OUT/clusterqueue.v1beta1.json"
upstream karmada-io/karmada "$KARMADA_REF" charts/karmada/_crds/bases/policy/policy.karmada.io_propagationpolicies.yaml \
    | schema v1alpha1 > "$OUT/propagationpolicy.v1alpha1.json"
echo "wrote $OUT/clusterqueue.v1beta1.json (Kueue $KUEUE_REF), $OUT/propagationpolicy.v1alpha1.json (Karmada $KARMADA_REF)"

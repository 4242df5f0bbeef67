# Sourced by test.sh and bench/run.sh: which container engine the lab uses, and the settings Podman needs here.
# Exports ASPIRE_CONTAINER_RUNTIME (docker when its engine answers, else podman) and, for Podman, CONTAINERS_CONF.
# Podman's defaults fail on some machines (crun and hybrid cgroups; a nofile ulimit the sandbox refuses). These two
# settings reach Podman, and DCP which calls it, through CONTAINERS_CONF: nothing is written into /etc.
if command -v docker >/dev/null 2>&1 && docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; then
  export ASPIRE_CONTAINER_RUNTIME=docker
else
  export ASPIRE_CONTAINER_RUNTIME=podman
  if [ -z "${CONTAINERS_CONF:-}" ]; then
    conf_dir="${TMPDIR:-/tmp}/voketag-lab-tests"
    mkdir -p "$conf_dir"
    printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n' > "$conf_dir/containers.conf"
    export CONTAINERS_CONF="$conf_dir/containers.conf"
  fi
fi

#!/usr/bin/env bash
# Installs what the test suite needs and this machine lacks, and nothing else: redis-server/redis-tools 7+,
# valkey-server/valkey-tools 8+, Chromium, the vector-search engine's run-time libraries (when the engine is present),
# cfn-lint and moto_server. Debian-family systems only (apt); as root, or through sudo when it asks for no password.
# Where it can install nothing it stops with one line naming the missing packages and the command that installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()      # from the distribution's default release
backports_packages=() # from bookworm-backports on Debian 12 (Valkey 8); from the default release elsewhere
pip_packages=()

# "NAME --version" prints "... v=7.0.15 ..." for both servers.
server_major() { "$1" --version 2>/dev/null | sed -n 's/.* v=\([0-9][0-9]*\).*/\1/p'; }
have() { command -v "$1" >/dev/null 2>&1; }

redis_major=$(server_major redis-server || true)
if ! have redis-cli || ! have redis-benchmark || [ -z "$redis_major" ] || [ "$redis_major" -lt 7 ]; then
  apt_packages+=(redis-server redis-tools)
fi
valkey_major=$(server_major valkey-server || true)
if ! have valkey-cli || ! have valkey-benchmark || [ -z "$valkey_major" ] || [ "$valkey_major" -lt 8 ]; then
  backports_packages+=(valkey-server valkey-tools)
fi
if [ -z "${CHROMIUM_PATH:-}" ] && ! have chromium; then
  apt_packages+=(chromium)
fi

# The vector-search engine (../shared/engines/valkey-search, or VALKEY_SEARCH_MODULE) links Debian's gRPC and protobuf.
search_module=${VALKEY_SEARCH_MODULE:-../shared/engines/valkey-search/libsearch.so}
if [ -f "$search_module" ] && have ldd && ldd "$search_module" 2>/dev/null | grep -q 'not found'; then
  apt_packages+=(libgrpc++1.51 libprotobuf32)
fi

have cfn-lint || pip_packages+=(cfn-lint)
have moto_server || pip_packages+=('moto[server]')

if [ ${#apt_packages[@]} -eq 0 ] && [ ${#backports_packages[@]} -eq 0 ] && [ ${#pip_packages[@]} -eq 0 ]; then
  exit 0
fi

codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if have sudo && sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(none); fi
fi

missing_line() {
  local what="$1" how="$2"
  echo "install-test-deps: missing $what; install with: $how" >&2
  exit 1
}

all_apt=("${apt_packages[@]}" "${backports_packages[@]}")
if [ ${#all_apt[@]} -gt 0 ]; then
  backports_flag=()
  if [ "$codename" = bookworm ] && [ ${#backports_packages[@]} -gt 0 ]; then backports_flag=(-t bookworm-backports); fi
  install_cmd="sudo apt-get install -y ${all_apt[*]}"
  if [ ${#backports_flag[@]} -gt 0 ]; then
    install_cmd="sudo apt-get install -y ${backports_flag[*]} ${all_apt[*]}"
  fi
  if ! have apt-get; then
    missing_line "${all_apt[*]}" "your system's package manager (these are Debian's package names)"
  fi
  if [ "${as_root[0]:-}" = none ]; then
    if [ ${#backports_flag[@]} -gt 0 ]; then install_cmd="add bookworm-backports to apt's sources, then $install_cmd"; fi
    if [ ${#pip_packages[@]} -gt 0 ]; then install_cmd="$install_cmd && python3 -m pip install ${pip_packages[*]}"; fi
    missing_line "${all_apt[*]} ${pip_packages[*]}" "$install_cmd"
  fi
  if [ ${#backports_flag[@]} -gt 0 ] &&
     ! grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo 'deb http://deb.debian.org/debian bookworm-backports main' |
      "${as_root[@]}" tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
  fi
  echo "install-test-deps: installing ${all_apt[*]}" >&2
  "${as_root[@]}" apt-get update -qq
  apt_updated=yes
  export DEBIAN_FRONTEND=noninteractive
  if [ ${#apt_packages[@]} -gt 0 ]; then
    "${as_root[@]}" apt-get install -y -qq "${apt_packages[@]}" >/dev/null
  fi
  if [ ${#backports_packages[@]} -gt 0 ]; then
    "${as_root[@]}" apt-get install -y -qq "${backports_flag[@]}" "${backports_packages[@]}" >/dev/null
  fi
fi

if [ ${#pip_packages[@]} -gt 0 ]; then
  have python3 || missing_line "${pip_packages[*]}" "python3 -m pip install ${pip_packages[*]} (needs python3 and pip)"
  stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')
  if [ ! -f "$stdlib/EXTERNALLY-MANAGED" ]; then
    # A Python of one's own (pyenv, a virtual environment): pip installs into it, and its scripts are on the PATH.
    pip_cmd="python3 -m pip install ${pip_packages[*]}"
    echo "install-test-deps: installing ${pip_packages[*]}" >&2
    python3 -m pip install -q "${pip_packages[@]}" || missing_line "${pip_packages[*]}" "$pip_cmd"
  else
    # Debian's own Python refuses pip (PEP 668): a virtual environment for the tools, their commands linked onto the PATH.
    venv=/opt/ectk-test-tools
    pip_cmd="python3 -m venv $venv && $venv/bin/pip install ${pip_packages[*]} && ln -s $venv/bin/cfn-lint $venv/bin/moto_server /usr/local/bin/"
    [ "${as_root[0]:-}" = none ] && missing_line "${pip_packages[*]}" "sudo sh -c '$pip_cmd'"
    echo "install-test-deps: installing ${pip_packages[*]} into $venv" >&2
    if ! python3 -c 'import ensurepip' 2>/dev/null; then
      # apt-get update at most once per run: only if the system packages above did not need it.
      [ -n "${apt_updated:-}" ] || "${as_root[@]}" apt-get update -qq
      DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq python3-venv >/dev/null ||
        missing_line "python3-venv" "sudo apt-get install -y python3-venv"
    fi
    { "${as_root[@]}" python3 -m venv "$venv" && "${as_root[@]}" "$venv/bin/pip" install -q "${pip_packages[@]}" &&
      "${as_root[@]}" ln -sf "$venv/bin/cfn-lint" "$venv/bin/moto_server" /usr/local/bin/; } ||
      missing_line "${pip_packages[*]}" "sudo sh -c '$pip_cmd'"
  fi
  hash -r
  have cfn-lint && have moto_server ||
    missing_line "cfn-lint or moto_server on the PATH after pip" "$pip_cmd, then put pip's script directory on the PATH"
fi

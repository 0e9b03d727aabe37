#!/usr/bin/env bash
# Runs a command (the room specs' Playwright, the `rooms` bench row) inside a network namespace of its own, made for
# this run and gone with it: loopback only, so that Janus, Parvis and Chromium talk over 127.0.0.1 and nothing else.
# Janus gathers its ICE candidates only from interfaces that are up and not loopback, so a veth pair is added and its
# end `rooms0` carries 127.0.0.1 too: Janus offers 127.0.0.1 from it, Chromium offers 127.0.0.1 from it as well (and,
# with --allow-loopback-in-peer-connection, from `lo`), and the kernel delivers it all locally. Without that address
# Janus offers no candidate and no media flows. See CONTRIBUTING.md, "Room tests".
#
#   e2e/rooms/in-netns.sh npx playwright test -c e2e/rooms/playwright.config.ts
#
# As root it uses `unshare --net`; otherwise `unshare --user --map-root-user --net` (needs unprivileged user
# namespaces: `sysctl kernel.unprivileged_userns_clone=1` on older Debian kernels).
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 command [args…]" >&2
  exit 2
fi
# Already inside (a nested call): run the command in this namespace.
if [[ "${PARVIS_ROOMS_NETNS:-}" == 1 ]]; then exec "$@"; fi
if [[ "${PARVIS_ROOMS_NETNS:-}" != setup ]]; then
  unshare_args=(--net)
  if [[ "$(id -u)" -ne 0 ]]; then unshare_args=(--user --map-root-user --net); fi
  PARVIS_ROOMS_NETNS=setup exec unshare "${unshare_args[@]}" -- "$0" "$@"
fi

ip link set lo up
ip link add rooms0 type veth peer name rooms1
ip address add 127.0.0.1/32 dev rooms0
ip link set rooms1 up
ip link set rooms0 up
export PARVIS_ROOMS_NETNS=1
exec "$@"

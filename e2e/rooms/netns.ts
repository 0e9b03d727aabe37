import { readFileSync } from 'node:fs';

/** The veth end that carries 127.0.0.1 for Janus's ICE candidates (in-netns.sh makes it). */
export const ICE_INTERFACE = 'rooms0';

const NAMESPACE_INTERFACES = new Set(['lo', ICE_INTERFACE, 'rooms1']);

/**
 * Throws unless this process runs in the namespace that in-netns.sh makes: only `lo` and the veth pair. Room specs and
 * the bench row call it first, so that a run started outside (plain `npx playwright test`) says how to run them
 * instead of failing somewhere in ICE, or reaching the host's network.
 */
export function assertRoomNamespace(): void {
  // /proc/net/dev is the calling process's namespace (unlike /sys/class/net, which is the mount's).
  const names = readFileSync('/proc/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((line) => line.split(':')[0]!.trim())
    .filter((name) => name !== '');
  const foreign = names.filter((name) => !NAMESPACE_INTERFACES.has(name));
  if (foreign.length > 0 || !names.includes(ICE_INTERFACE)) {
    throw new Error(
      `the room tests run inside a network namespace of their own (interfaces here: ${names.join(', ')}): ` +
        'run them with `npm run test:rooms` (e2e/rooms/in-netns.sh), see CONTRIBUTING.md',
    );
  }
}

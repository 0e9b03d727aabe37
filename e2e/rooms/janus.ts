import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * A Janus of the harness's own, without Parvis: Debian's `janus` with the videoroom plugin and the WebSocket transport
 * only, on loopback, with rooms declared in its config. The probe spec and the `rooms` bench row use it; the room specs
 * use the Janus that Parvis itself runs (ROOMS=janus).
 *
 * ICE inside the test's network namespace (see netns.ts and CONTRIBUTING.md): Janus gathers its host candidates from
 * the interfaces that are up and not loopback, so on `lo` alone it would offer none (it says "Couldn't find any
 * address! using 127.0.0.1") and no media flows. The namespace therefore has a veth pair whose end `rooms0` carries
 * 127.0.0.1 as well: Janus offers a host candidate 127.0.0.1 from it; Chromium gathers 127.0.0.1 from it too (network
 * type "ethernet"), and with --allow-loopback-in-peer-connection also from `lo`; the kernel delivers all of it
 * locally. `ice_enforce_list` keeps Janus to that interface; no STUN, no nat_1_1_mapping, no ice_ignore_list needed.
 */

export const JANUS_BIN = process.env.JANUS_BIN ?? '/usr/bin/janus';
const JANUS_LIB = process.env.JANUS_LIB_DIR ?? '/usr/lib/x86_64-linux-gnu/janus';

export interface JanusRoomConfig {
  id: number;
  publishers: number;
  /** Each publisher's video bitrate cap, bits/s. */
  bitrate?: number;
}

export interface JanusOptions {
  wsPort: number;
  rooms: JanusRoomConfig[];
  /** UDP ports for media; a small range is plenty for a few participants. */
  rtpPorts?: string;
  /** The interface Janus gathers its candidates on: the namespace's veth end (netns.ts's ICE_INTERFACE). */
  iceInterface?: string;
}

export interface RunningJanus {
  pid: number;
  wsUrl: string;
  /** What Janus printed, for a failing test's attachments. */
  log(): string;
  stop(): Promise<void>;
}

function configFiles(dir: string, options: JanusOptions): Record<string, string> {
  const rooms = options.rooms
    .map(
      (room) => `room-${room.id}: {
  description = "harness room ${room.id}"
  publishers = ${room.publishers}
  bitrate = ${room.bitrate ?? 256000}
  audiocodec = "opus"
  videocodec = "vp8"
}`,
    )
    .join('\n');
  return {
    'janus.jcfg': `general: {
  configs_folder = "${dir}/etc"
  plugins_folder = "${dir}/plugins"
  transports_folder = "${dir}/transports"
  events_folder = "${dir}/none"
  loggers_folder = "${dir}/none"
  debug_level = 4
}
media: {
  rtp_port_range = "${options.rtpPorts ?? '20000-20199'}"
}
nat: {
  ice_enforce_list = "${options.iceInterface ?? 'lo'}"
}
`,
    'janus.transport.websockets.jcfg': `general: {
  json = "plain"
  ws = true
  ws_port = ${options.wsPort}
  ws_ip = "127.0.0.1"
  wss = false
}
admin: {
  admin_ws = false
  admin_wss = false
}
`,
    'janus.plugin.videoroom.jcfg': `general: {
}
${rooms}
`,
  };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startJanus(options: JanusOptions): Promise<RunningJanus> {
  const dir = mkdtempSync(join(tmpdir(), 'parvis-janus-'));
  for (const sub of ['etc', 'plugins', 'transports', 'none']) mkdirSync(join(dir, sub));
  // Only the videoroom plugin and the WebSocket transport are loaded: the folders hold just those two.
  symlinkSync(join(JANUS_LIB, 'plugins/libjanus_videoroom.so'), join(dir, 'plugins/libjanus_videoroom.so'));
  symlinkSync(join(JANUS_LIB, 'transports/libjanus_websockets.so'), join(dir, 'transports/libjanus_websockets.so'));
  for (const [name, text] of Object.entries(configFiles(dir, options))) writeFileSync(join(dir, 'etc', name), text);
  const logPath = join(dir, 'janus.log');
  const out = openSync(logPath, 'a');
  const child: ChildProcess = spawn(JANUS_BIN, ['-C', join(dir, 'etc/janus.jcfg'), '-F', join(dir, 'etc'), '--disable-colors'], {
    stdio: ['ignore', out, out],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const log = () => readFileSync(logPath, 'utf8');
  for (let attempt = 0; !(await portAnswers(options.wsPort)); attempt += 1) {
    if (gone || attempt > 200) {
      child.kill('SIGKILL');
      throw new Error(`janus did not open its WebSocket port ${options.wsPort}:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    pid: child.pid!,
    wsUrl: `ws://127.0.0.1:${options.wsPort}`,
    log,
    async stop() {
      if (!gone) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

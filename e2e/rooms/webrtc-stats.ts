import type { Page } from '@playwright/test';

/*
 * What a page's WebRTC connections receive, read from `RTCPeerConnection.getStats()` as a person's browser sees it.
 * janus.js keeps its peer connections to itself, so `recordPeerConnections` (an init script, before the page's own
 * code) keeps a list of every connection the page makes; `inboundMedia` reads their `inbound-rtp` reports. The same
 * works on the probe page and on Parvis's room page, whatever either does with the tracks.
 */

/** One received stream (an `inbound-rtp` report) of one connection. */
export interface InboundStream {
  /** Connection index in the page + the report's id: stable across readings. */
  key: string;
  kind: 'audio' | 'video';
  bytesReceived: number;
  packetsReceived: number;
  /** Video only (0 for audio). */
  framesDecoded: number;
  /** False once the connection was closed (the page unsubscribed or left). */
  open: boolean;
}

declare global {
  interface Window {
    parvisPeerConnections?: RTCPeerConnection[];
  }
}

/** Call before the page loads (on its context or page): every RTCPeerConnection it makes is then kept. */
export async function recordPeerConnections(target: Pick<Page, 'addInitScript'>): Promise<void> {
  await target.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const made: RTCPeerConnection[] = [];
    window.parvisPeerConnections = made;
    window.RTCPeerConnection = class extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        made.push(this);
      }
    };
  });
}

export async function inboundMedia(page: Page): Promise<InboundStream[]> {
  return page.evaluate(async () => {
    const streams: InboundStream[] = [];
    const connections = window.parvisPeerConnections ?? [];
    for (const [index, pc] of connections.entries()) {
      const open = pc.connectionState !== 'closed';
      if (!open) continue;
      const report = await pc.getStats();
      report.forEach((stat: Record<string, unknown>) => {
        if (stat['type'] !== 'inbound-rtp') return;
        const kind = stat['kind'] === 'audio' ? 'audio' : 'video';
        streams.push({
          key: `${index}/${String(stat['id'])}`,
          kind,
          bytesReceived: Number(stat['bytesReceived'] ?? 0),
          packetsReceived: Number(stat['packetsReceived'] ?? 0),
          framesDecoded: Number(stat['framesDecoded'] ?? 0),
          open,
        });
      });
    }
    return streams;
  });
}

/** How many audio and video streams a page is receiving right now: bytes rose since the reader's previous reading, and
 * for video, frames were decoded. */
export interface LiveInbound {
  audio: number;
  video: number;
}

/**
 * A reader to poll with `expect.poll(() => reader())`: each call reads the page's inbound streams and counts those whose
 * bytes rose since the previous call (the first call counts none), video only with frames decoded. Polling it until
 * `{ audio: 2, video: 2 }` shows media flowing from two others now, not just that some arrived once.
 */
export function liveInboundReader(page: Page): () => Promise<LiveInbound> {
  let previous = new Map<string, number>();
  return async () => {
    const streams = await inboundMedia(page);
    const live: LiveInbound = { audio: 0, video: 0 };
    for (const stream of streams) {
      const before = previous.get(stream.key);
      const rising = before !== undefined && stream.bytesReceived > before;
      if (!rising) continue;
      if (stream.kind === 'audio') live.audio += 1;
      else if (stream.framesDecoded > 0) live.video += 1;
    }
    previous = new Map(streams.map((stream) => [stream.key, stream.bytesReceived]));
    return live;
  };
}

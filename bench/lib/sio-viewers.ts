import { io, type Socket } from 'socket.io-client';
import { monoNow } from './clock';
import { Histogram } from './histogram';

/**
 * A few viewers on the real socket.io-client, in the orchestrator process, to check that the raw generator measures
 * what a real client sees: their latency is reported next to the raw viewers'.
 */
export class SioViewers {
  private readonly sockets: Socket[] = [];
  readonly hist = new Histogram();
  received = 0;
  private prefix: string | null = null;

  async connect(url: string, count: number, eventId: string): Promise<void> {
    for (let i = 0; i < count; i++) {
      const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
      this.sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('socket.io-client viewer: no join ack within 20 s')), 20_000);
        socket.once('connect_error', (err) => reject(err));
        socket.once('connect', () => {
          socket.emit('event:join', { eventId }, (res: { ok: boolean }) => {
            clearTimeout(timer);
            if (res.ok) resolve();
            else reject(new Error(`socket.io-client viewer: join refused ${JSON.stringify(res)}`));
          });
        });
      });
      socket.on('chat:messages', ({ messages }: { messages: Array<{ text: string }> }) => {
        if (this.prefix === null) return;
        const now = monoNow();
        for (const m of messages) {
          if (!m.text.startsWith(this.prefix)) continue;
          const sentAt = Number(m.text.slice(this.prefix.length, m.text.indexOf('~', this.prefix.length)));
          this.hist.record(now - sentAt);
          this.received++;
        }
      });
    }
  }

  arm(runId: number): void {
    this.prefix = `~R${runId}T`;
    this.hist.reset();
    this.received = 0;
  }

  get count(): number {
    return this.sockets.length;
  }

  close(): void {
    for (const s of this.sockets) s.close();
    this.sockets.length = 0;
  }
}

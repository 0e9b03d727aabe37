import type { IngestInfo, StreamHealth } from '#shared/domain/broadcast';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api-client';
import { ManualClock } from '../../app/manual-clock';
import { testTranslator } from '../../i18n/test-translator';
import { healthFigures, streamPanelHidden, StreamWatch, streamStateText, warningText, type StreamView } from './stream-watch';

const START = Date.parse('2027-03-05T18:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function health(at: number, extra: Partial<StreamHealth> = {}): StreamHealth {
  return {
    connected: true,
    bitrateKbps: 3200,
    fps: 30,
    width: 1280,
    height: 720,
    keyframeIntervalSeconds: 2,
    audio: true,
    warnings: [],
    at: iso(at),
    ...extra,
  };
}

function info(extra: Partial<IngestInfo> = {}): IngestInfo {
  return {
    rtmpUrl: 'rtmp://media.bibliotheque.example:1935/live',
    streamKey: 'k3y',
    validFrom: iso(START - 3_600_000),
    validUntil: iso(START + 4 * 3_600_000),
    state: 'idle',
    reconnectDeadline: null,
    health: null,
    diskBytes: 0,
    ...extra,
  };
}

function watch(clock: ManualClock) {
  let reloads = 0;
  const views: StreamView[] = [];
  const w = new StreamWatch({ clock, reload: () => reloads++ });
  w.subscribe((v) => views.push(v));
  return { w, views, reloads: () => reloads };
}

describe('the stream panel', () => {
  it('counts down the reconnect window to the second, then stops ticking', () => {
    const clock = new ManualClock(START);
    const { w } = watch(clock);
    const fr = testTranslator('fr');
    w.setInfo(info({ state: 'reconnecting', reconnectDeadline: iso(START + 60_000) }));
    expect(w.view.secondsLeft).toBe(60);
    expect(streamStateText(fr, 'reconnecting', w.view.secondsLeft)).toBe(
      'OBS s’est déconnecté. Sans reconnexion, la diffusion se termine dans 60 s.',
    );
    clock.advance(999);
    expect(w.view.secondsLeft).toBe(60);
    clock.advance(1);
    expect(w.view.secondsLeft).toBe(59);
    clock.advance(58_000);
    expect(w.view.secondsLeft).toBe(1);
    clock.advance(1_000);
    expect(w.view.secondsLeft).toBe(0);
    expect(streamStateText(fr, 'reconnecting', w.view.secondsLeft)).toBe('OBS s’est déconnecté : la diffusion se termine.');
    expect(clock.pending).toBe(0);
  });

  it('asks the ingest again once when OBS comes back or drops, as the pushed figures tell', () => {
    const clock = new ManualClock(START);
    const { w, reloads } = watch(clock);
    w.setInfo(info({ state: 'idle' }));
    w.setHealth(health(START));
    w.setHealth(health(START + 2000));
    expect(reloads()).toBe(1);
    w.setInfo(info({ state: 'live', health: health(START + 2000) }));
    w.setHealth(health(START + 4000, { connected: false }));
    w.setHealth(health(START + 6000, { connected: false }));
    expect(reloads()).toBe(2);
    // Figures older than those held are from another process, late: they change nothing.
    w.setHealth(health(START + 1000, { bitrateKbps: 1 }));
    expect(w.view.health?.bitrateKbps).toBe(3200);
    expect(w.view.health?.at).toBe(iso(START + 6000));
    w.close();
    expect(clock.pending).toBe(0);
  });

  it('says the figures went stale when a live stops sending them', () => {
    const clock = new ManualClock(START);
    const { w } = watch(clock);
    w.setInfo(info({ state: 'live', health: health(START) }));
    clock.advance(6_000);
    expect(w.view.staleSeconds).toBeNull();
    clock.advance(1_000);
    expect(w.view.staleSeconds).toBe(7);
    w.setHealth(health(START + 7_000));
    expect(w.view.staleSeconds).toBeNull();
    w.close();
  });

  it('tells each warning with its figure and what to change in OBS, in French and English', () => {
    const fr = testTranslator('fr');
    const en = testTranslator('en');
    const bad = health(START, { keyframeIntervalSeconds: 8.33, bitrateKbps: 9800, fps: 14.97, height: 360, width: 640, audio: false });
    expect(warningText(fr, 'keyframe-interval', bad)).toBe(
      'Images clés trop espacées (8,3 s) : le direct prend du retard. Dans OBS, Paramètres › Sortie › Intervalle d’images clés : mettez 2 s.',
    );
    expect(warningText(en, 'keyframe-interval', bad)).toMatch(/^Keyframes too far apart \(8\.3 s\).*Keyframe Interval: set 2 s\.$/);
    expect(warningText(en, 'bitrate-high', bad)).toMatch(/^Bitrate too high \(9,800 kb\/s\).*stay under 6,000 kb\/s\.$/);
    expect(warningText(fr, 'bitrate-low', { ...bad, bitrateKbps: 312.4 })).toMatch(/^Débit faible \(312 kb\/s\)/);
    expect(warningText(en, 'fps-low', bad)).toMatch(/^Too few frames per second \(15\).*Common FPS Values: choose 30/);
    expect(warningText(fr, 'resolution-low', bad)).toMatch(/^Résolution basse \(360 lignes\).*1280 × 720 au moins\.$/);
    expect(warningText(en, 'no-audio', bad)).toMatch(/^No sound is coming through.*Audio Mixer/);
  });

  it('lists the figures, saying which are not known yet', () => {
    const en = testTranslator('en');
    expect(healthFigures(en, health(START, { fps: 29.97, audio: null, width: null }))).toEqual([
      { label: 'Bitrate', value: '3,200 kb/s' },
      { label: 'Frame rate', value: '30 fps' },
      { label: 'Resolution', value: 'unknown' },
      { label: 'Keyframe interval', value: '2 s' },
      { label: 'Sound', value: 'unknown' },
    ]);
  });
});

describe('whether the console shows the stream panel', () => {
  it('leaves it out on a server without an ingest, and until the ingest route answers', () => {
    const noIngest = new ApiError('NOT_FOUND', 'This server takes no broadcasts from OBS: set RTMP_PORT', 404);
    expect(streamPanelHidden({ status: 'error', error: noIngest })).toBe(true);
    expect(streamPanelHidden({ status: 'loading' })).toBe(true);
  });

  it('shows it with the key where the ingest answers, and with the error when it could not be read', () => {
    expect(streamPanelHidden({ status: 'ready', data: info() })).toBe(false);
    expect(streamPanelHidden({ status: 'error', error: new ApiError('UNAVAILABLE', 'Redis is down', 503) })).toBe(false);
    expect(streamPanelHidden({ status: 'error', error: new ApiError('NETWORK', 'offline') })).toBe(false);
  });
});

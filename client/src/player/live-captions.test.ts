import type { CaptionCue } from '#shared/domain/caption';
import { describe, expect, it } from 'vitest';
import { loadCaptionSettings, pickCaptionLanguage, saveCaptionSettings } from './caption-settings';
import { LiveCaptionTracks, placeCue, type CueTrack } from './live-captions';

const T0 = Date.UTC(2026, 11, 6, 18, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

function cue(id: string, startMs: number, text: string, patch: Partial<CaptionCue> = {}): CaptionCue {
  return { id, eventId: 'e1', lang: 'fr', seq: 1, startAt: iso(startMs), endAt: null, text, source: 'desk', editedAt: null, ...patch };
}

/** A cue as the browser's VTTCue holds it. */
interface FakeCue {
  id: string;
  startTime: number;
  endTime: number;
  text: string;
}

class FakeTrack implements CueTrack {
  mode: TextTrackMode = 'disabled';
  cues: FakeCue[] = [];
  constructor(readonly lang: string) {}
  addCue(c: VTTCue): void {
    this.cues.push(c as unknown as FakeCue);
  }
  removeCue(c: VTTCue): void {
    this.cues = this.cues.filter((x) => x !== (c as unknown as FakeCue));
  }
}

function setup() {
  const tracks: FakeTrack[] = [];
  const live = new LiveCaptionTracks({
    createTrack: (lang) => {
      const t = new FakeTrack(lang);
      tracks.push(t);
      return t;
    },
    createCue: (startTime, endTime, text) => ({ id: '', startTime, endTime, text }) as unknown as VTTCue,
  });
  return { live, tracks };
}

describe('placeCue', () => {
  it('puts the words where the viewer’s video shows the moment they were said', () => {
    // The picture at 100 s into the video shows T0; the line was said 4 s later and the next came 3 s after it.
    const placed = placeCue(cue('c1', T0 + 4_000, 'Bonsoir', { endAt: iso(T0 + 7_000) }), { currentTime: 100, programDateMs: T0 });
    expect(placed).toEqual({ id: 'c1', start: 104, end: 107, text: 'Bonsoir' });
  });

  it('keeps an open line up for at most 8 s, and a short one for at least 1 s', () => {
    const anchor = { currentTime: 0, programDateMs: T0 };
    expect(placeCue(cue('c1', T0, 'open'), anchor).end).toBe(8);
    expect(placeCue(cue('c2', T0, 'short', { endAt: iso(T0 + 200) }), anchor).end).toBe(1);
  });
});

describe('LiveCaptionTracks', () => {
  it('makes one text track per language, and shows only the one chosen', () => {
    const { live, tracks } = setup();
    live.sync([cue('c1', T0, 'Bonsoir'), cue('c2', T0, 'Good evening', { lang: 'en' })], { currentTime: 10, programDateMs: T0 });
    expect(tracks.map((t) => t.lang)).toEqual(['fr', 'en']);
    live.show('en');
    expect(tracks.map((t) => t.mode)).toEqual(['hidden', 'showing']);
    live.show(null);
    expect(tracks.map((t) => t.mode)).toEqual(['hidden', 'hidden']);
  });

  it('waits for the picture’s instant before placing cues, then places each once', () => {
    const { live, tracks } = setup();
    const cues = [cue('c1', T0 + 2_000, 'Bonsoir')];
    live.sync(cues, null);
    expect(tracks[0]!.cues).toEqual([]);
    live.sync(cues, { currentTime: 50, programDateMs: T0 });
    live.sync(cues, { currentTime: 51, programDateMs: T0 + 1_000 });
    expect(tracks[0]!.cues).toEqual([{ id: 'c1', startTime: 52, endTime: 60, text: 'Bonsoir' }]);
  });

  it('replaces a corrected cue, and one the next line ended, in place', () => {
    const { live, tracks } = setup();
    const anchor = { currentTime: 0, programDateMs: T0 };
    live.sync([cue('c1', T0, 'Bonsor')], anchor);
    live.sync([cue('c1', T0, 'Bonsoir', { endAt: iso(T0 + 3_000) }), cue('c2', T0 + 3_000, 'à tous')], anchor);
    expect(tracks[0]!.cues.map((c) => [c.text, c.startTime, c.endTime])).toEqual([
      ['Bonsoir', 0, 3],
      ['à tous', 3, 11],
    ]);
  });
});

describe('caption settings', () => {
  it('keeps the viewer’s choice across pages, and ignores what it cannot read', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(loadCaptionSettings(storage)).toEqual({ on: false, lang: null, size: 'medium', contrast: 'standard' });
    saveCaptionSettings(storage, { on: true, lang: 'en', size: 'large', contrast: 'high' });
    expect(loadCaptionSettings(storage)).toEqual({ on: true, lang: 'en', size: 'large', contrast: 'high' });
    store.set('parvis.captions', JSON.stringify({ on: 'yes', lang: '<b>', size: 'huge', contrast: 'high' }));
    expect(loadCaptionSettings(storage)).toEqual({ on: false, lang: null, size: 'medium', contrast: 'high' });
    store.set('parvis.captions', '{oops');
    expect(loadCaptionSettings(storage).on).toBe(false);
  });

  it('picks the language chosen, else the page’s, else the first the video has', () => {
    expect(pickCaptionLanguage(['fr', 'en'], 'en', 'fr')).toBe('en');
    expect(pickCaptionLanguage(['fr', 'en'], 'es', 'en')).toBe('en');
    expect(pickCaptionLanguage(['de', 'it'], null, 'fr')).toBe('de');
    expect(pickCaptionLanguage([], 'fr', 'fr')).toBeNull();
  });
});

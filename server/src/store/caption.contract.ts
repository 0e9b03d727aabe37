import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaptionAppend } from './caption-store';
import type { Store } from './store';
import { event } from './contract-fixtures';

/**
 * The behaviour of `store.captions` on every store (see caption-store.ts): cues kept per event and language in the
 * order they were said, a repeated `seq` answered with what was stored the first time, an out-of-order one placed by
 * its instant, corrections, and the ingest URL's secret; everything gone with its event.
 */
export function captionContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Caption store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 18, 0, s)).toISOString();
    const ingest = (seq: number, lines: Array<[string, number, string]>, lang = 'fr'): CaptionAppend => ({
      eventId: 'a',
      lang,
      source: 'ingest',
      seq,
      lines: lines.map(([id, s, text]) => ({ id, startAt: at(s), text })),
    });
    const desk = (id: string, s: number, text: string, lang = 'fr'): CaptionAppend => ({
      eventId: 'a',
      lang,
      source: 'desk',
      seq: null,
      lines: [{ id, startAt: at(s), text }],
    });
    const texts = async (lang = 'fr') => (await store.captions.list('a', lang)).map((c) => c.text);

    it('keeps a cue with its language, source and instant, open until the next line', async () => {
      const { cues, repeated, ended } = await store.captions.append(ingest(1, [['c1', 0, 'Bonsoir à toutes et à tous']]));
      expect(repeated).toBe(false);
      expect(ended).toEqual([]);
      expect(cues).toEqual([
        {
          id: 'c1',
          eventId: 'a',
          lang: 'fr',
          seq: 1,
          startAt: at(0),
          endAt: null,
          text: 'Bonsoir à toutes et à tous',
          source: 'ingest',
          editedAt: null,
        },
      ]);
      expect(await store.captions.get('a', 'c1')).toEqual(cues[0]);
      expect(await store.captions.list('a', 'fr')).toEqual(cues);
    });

    it('ends the previous line of the same language when the next one comes, and says so', async () => {
      await store.captions.append(ingest(1, [['c1', 0, 'un']]));
      await store.captions.append(ingest(1, [['e1', 1, 'one']], 'en'));
      const { cues, ended } = await store.captions.append(ingest(2, [['c2', 3, 'deux']]));
      expect(cues[0]!.endAt).toBeNull();
      expect(ended.map((c) => [c.id, c.endAt])).toEqual([['c1', at(3)]]);
      expect((await store.captions.get('a', 'c1'))!.endAt).toBe(at(3));
      // Another language is not ended by it.
      expect((await store.captions.get('a', 'e1'))!.endAt).toBeNull();
    });

    it('answers the cues stored the first time for a repeated seq, and stores nothing more', async () => {
      const first = await store.captions.append(ingest(7, [['c1', 0, 'un'], ['c2', 2, 'deux']]));
      const again = await store.captions.append(ingest(7, [['x1', 5, 'un bis']]));
      expect(again.repeated).toBe(true);
      expect(again.ended).toEqual([]);
      expect(again.cues.map((c) => c.id)).toEqual(first.cues.map((c) => c.id));
      expect(await texts()).toEqual(['un', 'deux']);
      // The same seq from the desk, or in another language, is another line.
      expect((await store.captions.append(ingest(7, [['e1', 1, 'one']], 'en'))).repeated).toBe(false);
    });

    it('places an out-of-order line by its instant, between the lines around it', async () => {
      await store.captions.append(ingest(1, [['c1', 0, 'un']]));
      await store.captions.append(ingest(3, [['c3', 10, 'trois']]));
      const late = await store.captions.append(ingest(2, [['c2', 5, 'deux']]));
      expect(await texts()).toEqual(['un', 'deux', 'trois']);
      // The late line ends the one before it, and is ended by the one after it.
      expect(late.cues[0]!.endAt).toBe(at(10));
      expect(late.ended.map((c) => [c.id, c.endAt])).toEqual([['c1', at(5)]]);
    });

    it('numbers the desk lines per event and language', async () => {
      const a = await store.captions.append(desk('d1', 0, 'un'));
      const b = await store.captions.append(desk('d2', 1, 'deux'));
      const c = await store.captions.append(desk('d3', 1, 'one', 'en'));
      expect([a.cues[0]!.seq, b.cues[0]!.seq, c.cues[0]!.seq]).toEqual([1, 2, 1]);
    });

    it('numbers concurrent desk lines without giving two the same number', async () => {
      const results = await Promise.all([1, 2, 3, 4, 5].map((i) => store.captions.append(desk(`d${i}`, i, `ligne ${i}`))));
      expect(results.map((r) => r.cues[0]!.seq).sort()).toEqual([1, 2, 3, 4, 5]);
      expect(await texts()).toEqual(['ligne 1', 'ligne 2', 'ligne 3', 'ligne 4', 'ligne 5']);
    });

    it('keeps only the newest lines when asked for the last ones, oldest first', async () => {
      for (let i = 1; i <= 12; i++) await store.captions.append(ingest(i, [[`c${i}`, i, `ligne ${i}`]]));
      expect((await store.captions.list('a', 'fr', { last: 3 })).map((c) => c.text)).toEqual(['ligne 10', 'ligne 11', 'ligne 12']);
    });

    it('lists the languages of an event', async () => {
      expect(await store.captions.languages('a')).toEqual([]);
      await store.captions.append(ingest(1, [['c1', 0, 'un']]));
      await store.captions.append(ingest(1, [['e1', 0, 'one']], 'en'));
      expect(await store.captions.languages('a')).toEqual(['en', 'fr']);
      expect(await store.captions.languages('b')).toEqual([]);
    });

    it('corrects the text and times of a cue and reorders it by its new instant', async () => {
      await store.captions.append(ingest(1, [['c1', 0, 'un']]));
      await store.captions.append(ingest(2, [['c2', 5, 'deux']]));
      const edited = await store.captions.update('a', 'c1', { text: 'Un.', startAt: at(8), endAt: at(9), editedAt: at(60) });
      expect(edited).toMatchObject({ id: 'c1', text: 'Un.', startAt: at(8), endAt: at(9), editedAt: at(60), seq: 1 });
      expect(await texts()).toEqual(['deux', 'Un.']);
      const textOnly = await store.captions.update('a', 'c2', { text: 'Deux.', editedAt: at(61) });
      expect(textOnly).toMatchObject({ text: 'Deux.', startAt: at(5), endAt: null, editedAt: at(61) });
      // An end taken away: the line runs until the next one again.
      expect(await store.captions.update('a', 'c1', { endAt: null, editedAt: at(62) })).toMatchObject({ endAt: null, text: 'Un.', startAt: at(8) });
      expect(await store.captions.update('a', 'nope', { text: 'x', editedAt: at(62) })).toBeUndefined();
    });

    it('removes a cue, and a late resend of its seq does not bring it back', async () => {
      await store.captions.append(ingest(1, [['c1', 0, 'un']]));
      expect(await store.captions.remove('a', 'c1')).toBe(true);
      expect(await store.captions.remove('a', 'c1')).toBe(false);
      expect(await store.captions.get('a', 'c1')).toBeUndefined();
      const again = await store.captions.append(ingest(1, [['c9', 0, 'un']]));
      expect(again).toEqual({ cues: [], repeated: true, ended: [] });
      expect(await texts()).toEqual([]);
    });

    it('creates the ingest secret on first read, the same for concurrent readers, and rotates it', async () => {
      const [x, y] = await Promise.all([store.captions.ingestSecret('a', 's1'), store.captions.ingestSecret('a', 's2')]);
      expect(x).toBe(y);
      expect(await store.captions.ingestSecret('a', 's3')).toBe(x);
      expect(await store.captions.rotateIngestSecret('a', 's4')).toBe('s4');
      expect(await store.captions.ingestSecret('a', 's5')).toBe('s4');
      expect(await store.captions.ingestSecret('b', 'sb')).toBe('sb');
    });

    it('deletes the captions and the secret with their event, and on a demo reset', async () => {
      await store.programme.saveProgramme(
        [],
        ['a', 'b'].map((id) => event(id, '2026-12-01T18:00:00.000Z', '2026-12-01T19:00:00.000Z')),
      );
      await store.captions.append(ingest(1, [['c1', 0, 'un']]));
      await store.captions.append({ ...ingest(1, [['b1', 0, 'un']]), eventId: 'b' });
      await store.captions.ingestSecret('a', 'secret-a');
      await store.programme.deleteEvent('a');
      expect(await store.captions.languages('a')).toEqual([]);
      expect(await store.captions.get('a', 'c1')).toBeUndefined();
      expect(await store.captions.ingestSecret('a', 'fresh')).toBe('fresh');
      // A new event with the same id starts from seq 1 again.
      expect((await store.captions.append(ingest(1, [['c2', 0, 'neuf']]))).repeated).toBe(false);
      expect((await store.captions.list('b', 'fr')).map((c) => c.id)).toEqual(['b1']);
      await store.clearAll();
      expect(await store.captions.languages('b')).toEqual([]);
    });
  });
}

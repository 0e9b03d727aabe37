import { describe, expect, it } from 'vitest';
import { Latest, LatestById } from './latest';

interface Item {
  id: string;
  v: number;
}
const item = (id: string, v: number): Item => ({ id, v });

describe('Latest', () => {
  it('shows what an ack answered until the state changes again', () => {
    const latest = new Latest<string | null>(null);
    const first = 'from join';
    latest.sync(first);
    expect(latest.value).toBe('from join');
    latest.set('from ack');
    latest.sync(first);
    expect(latest.value).toBe('from ack');
    latest.sync('from broadcast');
    expect(latest.value).toBe('from broadcast');
  });

  it('keeps the ack when the state has nothing (a room that does not follow the broadcast yet)', () => {
    const latest = new Latest<string | null>(null);
    latest.sync(null);
    latest.set('from ack');
    latest.sync(null);
    expect(latest.value).toBe('from ack');
  });
});

describe('LatestById', () => {
  it('adds an item from an ack before the state carries it, then takes the state copy', () => {
    const list = new LatestById<Item>((x) => x.id);
    list.sync([]);
    list.put(item('a', 1));
    expect(list.values).toEqual([item('a', 1)]);
    const fromState = item('a', 2);
    list.sync([fromState]);
    expect(list.values).toEqual([fromState]);
  });

  it('keeps an ack newer than an unchanged state copy', () => {
    const list = new LatestById<Item>((x) => x.id);
    const state = [item('a', 1)];
    list.sync(state);
    list.put(item('a', 2));
    list.sync(state);
    expect(list.get('a')?.v).toBe(2);
  });

  it('hides an item an ack removed while the state still holds its old copy', () => {
    const list = new LatestById<Item>((x) => x.id);
    const state = [item('a', 1), item('b', 1)];
    list.sync(state);
    list.remove('a');
    list.sync(state);
    expect(list.values.map((x) => x.id)).toEqual(['b']);
  });

  it('shows a removed key again when the state brings a new copy of it (sanctioned again)', () => {
    const list = new LatestById<Item>((x) => x.id);
    list.sync([item('a', 1)]);
    list.remove('a');
    list.sync([item('a', 2)]);
    expect(list.get('a')?.v).toBe(2);
  });

  it('drops an item that leaves the state', () => {
    const list = new LatestById<Item>((x) => x.id);
    list.sync([item('a', 1), item('b', 1)]);
    list.sync([item('b', 1)]);
    expect(list.values.map((x) => x.id)).toEqual(['b']);
  });
});

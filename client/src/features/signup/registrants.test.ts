import type { RegistrantRow, RegistrationStatus } from '#shared/domain/registration';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import { ApiError, type RegistrantList } from '../../app/api-client';
import { testTranslator } from '../../i18n/test-translator';
import { filterRegistrants, readDeskForm, readEmailForm, RegistrantsController, statusCounts } from './registrants';

let serial = 0;
const row = (status: RegistrationStatus, overrides: Partial<RegistrantRow> = {}): RegistrantRow => ({
  id: `r${++serial}`,
  eventId: 'e1',
  status,
  personId: `p${serial}`,
  name: `Personne ${serial}`,
  email: `p${serial}@example.org`,
  phone: null,
  language: 'fr',
  answers: {},
  source: 'online',
  createdAt: `2026-12-0${serial % 9}T10:00:00.000Z`,
  cancelledAt: null,
  attendedAt: null,
  erasedAt: null,
  noShows: 0,
  ...overrides,
});

describe('the list of people signed up', () => {
  it('shows seats first, then offers, then the waiting list in its order, and hides the cancelled unless asked', () => {
    const rows = [
      row('waitlisted', { position: 2 }),
      row('cancelled'),
      row('confirmed'),
      row('waitlisted', { position: 1 }),
      row('offered'),
    ];
    expect(filterRegistrants(rows, 'active').map((r) => [r.status, r.position])).toEqual([
      ['confirmed', undefined],
      ['offered', undefined],
      ['waitlisted', 1],
      ['waitlisted', 2],
    ]);
    expect(filterRegistrants(rows, 'all')).toHaveLength(5);
    expect(filterRegistrants(rows, 'cancelled').map((r) => r.status)).toEqual(['cancelled']);
    expect(statusCounts(rows)).toEqual({ confirmed: 1, offered: 1, waitlisted: 2, cancelled: 1, expired: 0 });
  });

  it('signs someone up at the desk with a name alone, or with the email or phone they gave', () => {
    expect(readDeskForm({ name: 'Jeanne Martin', email: ' ', phone: '', language: 'fr' })).toEqual({
      ok: true,
      request: { name: 'Jeanne Martin', language: 'fr' },
    });
    expect(readDeskForm({ name: 'Jeanne Martin', email: '', phone: '01 23 45 67 89', language: 'en' })).toEqual({
      ok: true,
      request: { name: 'Jeanne Martin', language: 'en', phone: '01 23 45 67 89' },
    });
    const bad = readDeskForm({ name: ' ', email: 'jeanne@', phone: '', language: 'fr' });
    expect(!bad.ok && bad.errors).toEqual({ name: { key: 'admin.regs.desk.nameRequired' }, email: { key: 'form.error.email' } });
  });

  it('asks for a subject and a message before writing to everyone', () => {
    expect(readEmailForm({ subject: ' ', body: 'x' })).toEqual({ ok: false, errors: { subject: { key: 'form.error.required' } } });
    expect(readEmailForm({ subject: ' Salle changée ', body: 'Rendez-vous salle B.' })).toEqual({
      ok: true,
      request: { subject: 'Salle changée', body: 'Rendez-vous salle B.' },
    });
  });
});

function setup(rows: RegistrantRow[]) {
  const controllers: ReactiveController[] = [];
  const host: ReactiveControllerHost = {
    addController: (c) => void controllers.push(c),
    removeController: () => {},
    requestUpdate: () => {},
    updateComplete: Promise.resolve(true),
  };
  const world = {
    list: { registrants: rows, seats: null } as RegistrantList,
    loads: 0,
    attendance: [] as Array<{ id: string; attended: boolean; resolve: (at: string | null) => void; reject: (e: unknown) => void }>,
    actions: [] as string[],
  };
  const controller = new RegistrantsController(host, {
    api: () => ({
      listRegistrants: async () => {
        world.loads++;
        return structuredClone(world.list);
      },
      setAttendance: (_eventId, id, attended) =>
        new Promise((resolve, reject) => world.attendance.push({ id, attended, resolve, reject })),
      registrantAction: async (_eventId, id, action) => {
        world.actions.push(`${action} ${id}`);
        world.list = { ...world.list, registrants: world.list.registrants.map((r) => (r.id === id ? { ...r, status: 'cancelled' } : r)) };
      },
      addDeskRegistration: async () => ({ id: 'r-desk', eventId: 'e1', status: 'confirmed' }),
      emailRegistrants: async () => 12,
    }),
    i18n: () => testTranslator('en'),
    eventId: () => 'e1',
  });
  controllers.forEach((c) => c.hostUpdate?.());
  const settle = () => new Promise((r) => setTimeout(r, 0));
  const rowsNow = () => controller.load.data?.registrants ?? [];
  return { controller, world, settle, rowsNow };
}

describe('the library’s actions on the list', () => {
  it('ticks attendance at once, and keeps the time the server recorded', async () => {
    const confirmed = row('confirmed');
    const { controller, world, settle, rowsNow } = setup([confirmed]);
    await settle();
    const saving = controller.setAttendance(rowsNow()[0]!, true);
    expect(rowsNow()[0]!.attendedAt).not.toBeNull();
    world.attendance[0]!.resolve('2026-12-07T17:05:00.000Z');
    expect(await saving).toBe(true);
    expect(rowsNow()[0]!.attendedAt).toBe('2026-12-07T17:05:00.000Z');
  });

  it('unticks the box again, with a word why, when the server refuses', async () => {
    const { controller, world, settle, rowsNow } = setup([row('confirmed')]);
    await settle();
    const saving = controller.setAttendance(rowsNow()[0]!, true);
    world.attendance[0]!.reject(new ApiError('FORBIDDEN', 'You do not moderate this event', 403));
    expect(await saving).toBe(false);
    expect(rowsNow()[0]!.attendedAt).toBeNull();
    expect(controller.error).toEqual({ registrationId: rowsNow()[0]!.id, text: 'You do not moderate this event' });
  });

  it('cancels a registration and shows the list as it is now', async () => {
    const target = row('confirmed');
    const { controller, world, settle, rowsNow } = setup([target]);
    await settle();
    expect(await controller.act(rowsNow()[0]!, 'cancel', 'Cancelled.')).toBe(true);
    expect(world.actions).toEqual([`cancel ${target.id}`]);
    expect(world.loads).toBe(2);
    expect(rowsNow()[0]!.status).toBe('cancelled');
    expect(controller.notice).toBe('Cancelled.');
  });

  it('says to how many people a message to all went', async () => {
    const { controller, settle } = setup([]);
    await settle();
    expect(await controller.email({ subject: 'Salle B', body: 'Rendez-vous salle B.' })).toBe(true);
    expect(controller.notice).toBe('Message sent to 12 people.');
  });
});

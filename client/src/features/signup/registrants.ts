import { PERSON_NAME_MAX_LENGTH } from '#shared/domain/limits';
import {
  DeskRegistrationRequest,
  isActive,
  RegistrantEmailRequest,
  RegistrationStatus,
  type MailLanguage,
  type RegistrantRow,
} from '#shared/domain/registration';
import { displayNameProblem, normaliseDisplayName } from '#shared/domain/user';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient, RegistrantList } from '../../app/api-client';
import { PageLoad } from '../../app/page-load';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import type { FieldErrors, FieldMessage } from '../admin/event-form';

/*
 * The people signed up for an event, as the library sees them: the admin's registrants page and the attendance panel
 * of the moderator console share this state. Attendance ticks show at once and come back if the server refuses; the
 * other changes (cancel, promote, a desk sign-up) load the list again, since they move others too (a cancellation
 * offers the seat to the next person).
 */

/** Which registrations the list shows: those holding or waiting for a seat, all, or one status. */
export type RegistrantFilter = 'active' | 'all' | RegistrationStatus;

export const REGISTRANT_FILTERS: readonly RegistrantFilter[] = ['active', 'all', ...RegistrationStatus.options];

const ORDER: Record<RegistrationStatus, number> = { confirmed: 0, offered: 1, waitlisted: 2, cancelled: 3, expired: 4 };

/** The rows to show, in the order a librarian reads them: seats first, then offers, the waiting list by position, the rest. */
export function filterRegistrants(rows: readonly RegistrantRow[], filter: RegistrantFilter): RegistrantRow[] {
  return rows
    .filter((r) => (filter === 'all' ? true : filter === 'active' ? isActive(r.status) : r.status === filter))
    .sort(
      (a, b) =>
        ORDER[a.status] - ORDER[b.status] ||
        (a.position ?? 0) - (b.position ?? 0) ||
        a.createdAt.localeCompare(b.createdAt),
    );
}

export function statusCounts(rows: readonly RegistrantRow[]): Record<RegistrationStatus, number> {
  const counts: Record<RegistrationStatus, number> = { confirmed: 0, offered: 0, waitlisted: 0, cancelled: 0, expired: 0 };
  for (const r of rows) counts[r.status]++;
  return counts;
}

export interface DeskValues {
  name: string;
  email: string;
  phone: string;
  language: MailLanguage;
}

export type ReadDesk = { ok: true; request: DeskRegistrationRequest } | { ok: false; errors: FieldErrors };

/** Someone signed up at the desk: a name, and an email or a phone number if they gave one. */
export function readDeskForm(values: DeskValues): ReadDesk {
  const request: DeskRegistrationRequest = {
    name: values.name,
    language: values.language,
    ...(values.email.trim() ? { email: values.email } : {}),
    ...(values.phone.trim() ? { phone: values.phone } : {}),
  };
  const parsed = DeskRegistrationRequest.safeParse(request);
  if (parsed.success) return { ok: true, request };
  const errors: Record<string, FieldMessage> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'name');
    if (field === 'name') {
      const problem = displayNameProblem(normaliseDisplayName(values.name), { maxLength: PERSON_NAME_MAX_LENGTH });
      errors.name ??=
        problem === 'too-long' ? { key: 'form.error.tooLong', params: { max: PERSON_NAME_MAX_LENGTH } } : { key: 'admin.regs.desk.nameRequired' };
    } else if (field === 'email') errors.email ??= { key: 'form.error.email' };
    else errors[field] ??= { key: 'form.error.invalid' };
  }
  return { ok: false, errors };
}

export type ReadEmail = { ok: true; request: RegistrantEmailRequest } | { ok: false; errors: FieldErrors };

/** A message to every confirmed registrant: a subject and a body, neither empty. */
export function readEmailForm(values: { subject: string; body: string }): ReadEmail {
  const parsed = RegistrantEmailRequest.safeParse(values);
  if (parsed.success) return { ok: true, request: parsed.data };
  const errors: Record<string, FieldMessage> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0]);
    errors[field] ??=
      issue.code === 'too_big' && typeof issue.maximum === 'number'
        ? { key: 'form.error.tooLong', params: { max: Number(issue.maximum) } }
        : { key: 'form.error.required' };
  }
  return { ok: false, errors };
}

export interface RegistrantsSources {
  api(): Pick<ApiClient, 'listRegistrants' | 'setAttendance' | 'registrantAction' | 'addDeskRegistration' | 'emailRegistrants'>;
  i18n(): Pick<Translator, 't' | 'time' | 'plural'>;
  eventId(): string;
}

/** Why an action on a row failed, and which row. */
export interface RowError {
  registrationId: string | null;
  text: string;
}

/**
 * The registrants of one event and the library's actions on them, for a host that shows the list (the admin's
 * registrants page, the moderator's attendance panel).
 */
export class RegistrantsController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #sources: RegistrantsSources;
  readonly #load: PageLoad<readonly [string], RegistrantList>;
  #busy: string | null = null;
  #notice = '';
  #error: RowError | null = null;

  constructor(host: ReactiveControllerHost, sources: RegistrantsSources) {
    this.#host = host;
    this.#sources = sources;
    host.addController(this);
    this.#load = new PageLoad(host, {
      args: () => [sources.eventId()] as const,
      load: ([eventId], signal) => sources.api().listRegistrants(eventId, signal),
    });
  }

  hostConnected(): void {}

  get load(): PageLoad<readonly [string], RegistrantList> {
    return this.#load;
  }

  /** The row (or `desk`, `email`) an action is on its way for. */
  get busy(): string | null {
    return this.#busy;
  }

  get notice(): string {
    return this.#notice;
  }

  get error(): RowError | null {
    return this.#error;
  }

  #say(notice: string, error: RowError | null = null): void {
    this.#notice = notice;
    this.#error = error;
    this.#host.requestUpdate();
  }

  /** Ticks or unticks attendance: shown at once, and undone if the server refuses. True when it was saved. */
  async setAttendance(row: RegistrantRow, attended: boolean): Promise<boolean> {
    const set = (attendedAt: string | null) =>
      this.#load.update((list) => ({
        ...list,
        registrants: list.registrants.map((r) => (r.id === row.id ? { ...r, attendedAt } : r)),
      }));
    const before = row.attendedAt;
    set(attended ? (before ?? new Date().toISOString()) : null);
    this.#say('');
    try {
      set(await this.#sources.api().setAttendance(this.#sources.eventId(), row.id, attended));
      return true;
    } catch (error) {
      set(before);
      this.#say('', { registrationId: row.id, text: errorText(this.#sources.i18n(), error) });
      return false;
    }
  }

  /** Cancels a registration or confirms it past capacity, then loads the list again (others moved too). */
  async act(row: RegistrantRow, action: 'cancel' | 'promote', done: string): Promise<boolean> {
    return this.#run(row.id, () => this.#sources.api().registrantAction(this.#sources.eventId(), row.id, action), done);
  }

  /** Signs someone up at the desk. */
  async addAtDesk(request: DeskRegistrationRequest, done: string): Promise<boolean> {
    return this.#run('desk', () => this.#sources.api().addDeskRegistration(this.#sources.eventId(), request), done);
  }

  /** Writes to every confirmed registrant; the notice says to how many. */
  async email(request: RegistrantEmailRequest): Promise<boolean> {
    let count = 0;
    const ok = await this.#run(
      'email',
      async () => {
        count = await this.#sources.api().emailRegistrants(this.#sources.eventId(), request);
      },
      '',
      false,
    );
    if (ok) this.#say(this.#sources.i18n().plural('admin.regs.email.sent', count));
    return ok;
  }

  async #run(busy: string, action: () => Promise<unknown>, done: string, reload = true): Promise<boolean> {
    if (this.#busy) return false;
    this.#busy = busy;
    this.#say('');
    try {
      await action();
      if (reload) await this.#load.reload({ quiet: true });
      this.#say(done);
      return true;
    } catch (error) {
      this.#say('', { registrationId: busy === 'desk' || busy === 'email' ? null : busy, text: errorText(this.#sources.i18n(), error) });
      return false;
    } finally {
      this.#busy = null;
      this.#host.requestUpdate();
    }
  }
}

import type { FormQuestion, RegistrationSummary } from '#shared/domain/registration';
import { SERIES_PICK_MAX } from '#shared/domain/limits';
import type { ReactiveControllerHost } from 'lit';
import { ApiError, type ApiClient } from '../../app/api-client';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';
import { placeSignUpFields, readSignUp, type FieldErrors, type SignUpValues } from './signup-form';

/** What the form signs up for: one event, or some dates of a series in one go. */
export type SignUpTarget = { kind: 'event'; eventId: string } | { kind: 'series'; seriesId: string; eventIds: readonly string[] };

/**
 * What the sign-up did for one date: the registration it made (or found: the same email had signed up for it before),
 * or null when that date had neither a seat nor a waiting list left by the time the form reached it.
 */
/**
 * Whether the picked dates are what the server's `SeriesRegistrationRequest` takes (checked by hand: the page never
 * loads zod): one at least, at most {@link SERIES_PICK_MAX}, each once.
 */
export const datesAcceptable = (eventIds: readonly string[]): boolean =>
  eventIds.length >= 1 &&
  eventIds.length <= SERIES_PICK_MAX &&
  new Set(eventIds).size === eventIds.length &&
  eventIds.every((id) => id.length >= 1 && id.length <= 120);

export interface SignUpOutcome {
  eventId: string;
  registration: RegistrationSummary | null;
  created: boolean;
}

export interface SignUpSources {
  api(): Pick<ApiClient, 'register' | 'registerSeries'>;
  i18n(): Pick<Translator, 't' | 'time'>;
}

export type SubmitResult = 'invalid' | 'refused' | 'done';

/**
 * Sends a sign-up form and holds what the form shows meanwhile and after: the problems field by field, a refusal in
 * words (full, closed, too many tries), or the registrations made, one per date. The host renders from it and moves
 * the focus as `submit` answers: to the first field to fix, to the refusal, or to the result.
 *
 * It has no lifecycle: a request in flight is let finish. It only asks its host to render.
 */
export class SignUpController {
  #sending = false;
  #errors: FieldErrors = {};
  #refusal = '';
  #refusedBy: 'full' | 'closed' | null = null;
  #results: SignUpOutcome[] | null = null;
  #email = '';

  readonly #host: ReactiveControllerHost;
  readonly #sources: SignUpSources;

  constructor(host: ReactiveControllerHost, sources: SignUpSources) {
    this.#host = host;
    this.#sources = sources;
  }

  get sending(): boolean {
    return this.#sending;
  }

  /** What to fix, by field (`name`, `email`, `answers.level`, `consent`, `eventIds`). */
  get errors(): FieldErrors {
    return this.#errors;
  }

  /** Why the server refused the whole form, in words; empty otherwise. */
  get refusal(): string {
    return this.#refusal;
  }

  /**
   * The rule that refused it, when it changes what the page shows: the last seat went meanwhile (`full`), or sign-up
   * closed. The host loads the event again so that its seats say so too.
   */
  get refusedBy(): 'full' | 'closed' | null {
    return this.#refusedBy;
  }

  /** The registrations made, once the form went through; null before. */
  get results(): readonly SignUpOutcome[] | null {
    return this.#results;
  }

  /** The address the emails go to, as sent: the result says so. */
  get email(): string {
    return this.#email;
  }

  async submit(values: SignUpValues, form: readonly FormQuestion[], target: SignUpTarget): Promise<SubmitResult> {
    if (this.#sending) return 'refused';
    const read = readSignUp(values, form);
    const errors = read.ok ? {} : { ...read.errors };
    if (target.kind === 'series' && !datesAcceptable(target.eventIds)) {
      errors.eventIds =
        target.eventIds.length === 0
          ? { key: 'signup.error.pickDate' }
          : { key: 'signup.error.tooManyDates', params: { max: SERIES_PICK_MAX } };
    }
    this.#refusal = '';
    this.#refusedBy = null;
    if (!read.ok || Object.keys(errors).length > 0) {
      this.#errors = errors;
      this.#host.requestUpdate();
      return 'invalid';
    }
    this.#errors = {};
    this.#sending = true;
    this.#host.requestUpdate();
    const api = this.#sources.api();
    try {
      if (target.kind === 'event') {
        const { registration, created } = await api.register(target.eventId, read.request);
        this.#results = [{ eventId: target.eventId, registration, created }];
      } else {
        const made = await api.registerSeries(target.seriesId, { ...read.request, eventIds: [...target.eventIds] });
        // One line per date picked, in the order picked (date order), whatever order the answer lists them in.
        this.#results = target.eventIds.map((eventId) => ({
          eventId,
          registration: made.registrations.find((r) => r.eventId === eventId) ?? null,
          created: true,
        }));
      }
      this.#email = read.request.email.trim().toLowerCase();
      return 'done';
    } catch (error) {
      return this.#refused(error, values, form);
    } finally {
      this.#sending = false;
      this.#host.requestUpdate();
    }
  }

  /** Back to an empty form, to sign someone else up. */
  again(): void {
    this.#results = null;
    this.#errors = {};
    this.#refusal = '';
    this.#refusedBy = null;
    this.#host.requestUpdate();
  }

  #refused(error: unknown, values: SignUpValues, form: readonly FormQuestion[]): SubmitResult {
    if (error instanceof ApiError && error.code === 'INVALID_PAYLOAD' && error.fields) {
      const { errors, elsewhere } = placeSignUpFields(error.fields, values, form);
      this.#errors = errors;
      if (Object.keys(errors).length > 0 && elsewhere.length === 0) return 'invalid';
      this.#refusal = errorText(this.#sources.i18n(), error, 'signup');
      return 'refused';
    }
    if (error instanceof ApiError && error.code === 'CONFLICT' && (error.reason === 'full' || error.reason === 'closed')) {
      this.#refusedBy = error.reason;
    }
    this.#refusal = errorText(this.#sources.i18n(), error, 'signup');
    return 'refused';
  }
}

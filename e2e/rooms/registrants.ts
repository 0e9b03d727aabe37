import { expect, type APIRequestContext } from '@playwright/test';
import type { RoomJoin } from '#shared/domain/room';
import { Mailbox, personalLink } from '../fixtures/mailbox';

/*
 * People who sign up for a room's workshop through the public API, as the sign-up form does, and find their personal
 * link in their confirmation email (or waiting-list email), as the signup e2e specs do.
 */

const mailbox = new Mailbox();

export interface Registrant {
  name: string;
  email: string;
  status: 'confirmed' | 'waitlisted';
  /** The personal page's path, `/me#<token>`, from the email. */
  link: string;
  /** The personal link's token: `Authorization: Person <token>`. */
  token: string;
}

export async function signUp(request: APIRequestContext, eventId: string, name: string): Promise<Registrant> {
  const local = name
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
  const email = `${local}.${Date.now()}@example.org`;
  const response = await request.post(`/api/events/${encodeURIComponent(eventId)}/registrations`, {
    data: { name, email, language: 'fr', answers: {}, consent: true },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { registration } = (await response.json()) as { registration: { status: Registrant['status'] } };
  const link = personalLink(await mailbox.waitFor(email, registration.status === 'confirmed' ? /^Inscription confirmée/ : /^Liste d’attente/));
  return { name, email, status: registration.status, link, token: link.slice(link.indexOf('#') + 1) };
}

/** `GET /api/events/:id/room` with a person's link: the answer's status and body (a RoomJoin or `{error}`). */
export async function askForRoom(request: APIRequestContext, eventId: string, who: { token: string } | { bearer: string }) {
  const authorization = 'token' in who ? `Person ${who.token}` : `Bearer ${who.bearer}`;
  const response = await request.get(`/api/events/${encodeURIComponent(eventId)}/room`, { headers: { authorization } });
  const body = (await response.json()) as RoomJoin | { error: { code: string; reason?: string } };
  return { status: response.status(), body };
}

import { loadRoomStrings, loadStaffStrings } from '../i18n/i18n';
import type { Route } from './routes';

/**
 * Where each page's code lives: one chunk per page (Vite splits at each `import()`), so that a page downloads only
 * what it shows. The programme and the watch page are the audience's way in and must open at once; the staff's pages
 * (the admin console, the moderator's console, the speakers' stage, the caption desk) are never on their path.
 * The root shows a page's element before its chunk arrives; the element upgrades in place when it does. A staff page's
 * chunk is imported once the staff's strings are there (i18n.ts), so that its elements never render without them.
 */
const CHUNKS = {
  programme: () => import('../features/programme/parvis-programme-page'),
  event: () => import('../features/event-room/parvis-event-page'),
  series: () => import('../features/signup/parvis-series-page'),
  me: () => import('../features/signup/parvis-me-page'),
  ask: () => import('../features/hall/parvis-ask-page'),
  // The video room (issue 14): its strings and janus.js come with it, never on the programme's or the watch page's way.
  room: () => loadRoomStrings().then(() => import('../features/rooms/parvis-room-page')),
  display: () => loadStaffStrings().then(() => import('../features/hall/parvis-display-page')),
  moderate: () => loadStaffStrings().then(() => import('../features/moderate/parvis-moderate-page')),
  stage: () => loadStaffStrings().then(() => import('../features/stage/parvis-stage-page')),
  staff: () => loadStaffStrings().then(() => import('../features/admin/staff-pages')),
} satisfies Record<string, () => Promise<unknown>>;

export type PageChunk = keyof typeof CHUNKS;

/** The chunk that defines the page of `route`; null for the pages the entry itself holds (not found). */
export function pageChunk(route: Route): PageChunk | null {
  switch (route.name) {
    case 'programme':
      return 'programme';
    case 'event':
      return 'event';
    case 'series':
      return 'series';
    case 'me':
      return 'me';
    case 'event-ask':
      return 'ask';
    case 'event-room':
      return 'room';
    case 'event-display':
      return 'display';
    case 'event-moderate':
      return 'moderate';
    case 'event-stage':
      return 'stage';
    case 'event-captions':
    case 'login':
    case 'setup':
    case 'invite':
    case 'admin-programme':
    case 'admin-event':
    case 'admin-registrations':
    case 'admin-outbox':
    case 'admin-audit':
    case 'admin-figures':
    case 'admin-event-figures':
    case 'admin-help-desks':
      return 'staff';
    case 'not-found':
      return null;
  }
}

const loading = new Map<PageChunk, Promise<unknown>>();

/**
 * Loads a page's chunk once. A failure (offline, or a deploy replaced the chunk) is forgotten, so that the next
 * attempt fetches again, and rejects for the caller to say so.
 */
export function loadPageChunk(chunk: PageChunk): Promise<unknown> {
  let p = loading.get(chunk);
  if (!p) {
    p = CHUNKS[chunk]().catch((error: unknown) => {
      loading.delete(chunk);
      throw error;
    });
    loading.set(chunk, p);
  }
  return p;
}

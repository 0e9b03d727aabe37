import { z } from 'zod';
import type { FilmRights, ReplayInfo } from '../domain/broadcast';

/*
 * The replay's admin side (issue 11): the request bodies the server validates and the admin page checks with, and
 * what the admin routes answer. What the public reads is `ReplayInfo` (domain/broadcast.ts).
 */

/** The longest recording a trim may point into: a day, far beyond any event. */
export const TRIM_MAX_SECONDS = 24 * 3600;

/** Seconds into the untrimmed replay; null removes the trim. */
const TrimSeconds = z.number().min(0, 'must not be negative').max(TRIM_MAX_SECONDS, 'is too large').nullable();

/**
 * `PUT /api/admin/events/:id/replay`: only the fields sent change. Trims are seconds of the untrimmed replay (what the
 * admin's preview plays), null for "from the start" and "to the end".
 */
export const ReplaySettingsRequest = z
  .object({
    trimIn: TrimSeconds.optional(),
    trimOut: TrimSeconds.optional(),
    published: z.boolean().optional(),
    filmRights: z.enum(['replay', 'live-only']).optional(),
  })
  .strict();
export type ReplaySettingsRequest = z.infer<typeof ReplaySettingsRequest>;

/** `POST /api/events/:id/ingest/talk-starts`: now, unless a moderator corrects the instant afterwards. */
export const TalkStartsRequest = z.object({
  at: z.iso
    .datetime({ offset: true, error: 'must be a date and time (ISO 8601)' })
    .transform((s) => new Date(s).toISOString())
    .optional(),
});
export type TalkStartsRequest = z.input<typeof TalkStartsRequest>;

export const THUMBNAIL_CANDIDATES_MAX = 12;

/** `POST /api/admin/events/:id/replay/thumbnails`: take this many candidates, spread evenly over the replay. */
export const ThumbnailsRequest = z.object({
  count: z.number().int().min(1).max(THUMBNAIL_CANDIDATES_MAX).default(6),
});
export type ThumbnailsRequest = z.input<typeof ThumbnailsRequest>;

/** A thumbnail's file: whole seconds since the recording began, `.jpg`. */
export const ThumbnailFile = z.string().regex(/^\d{1,6}\.jpg$/, 'must be a thumbnail of this replay');

/** `PUT /api/admin/events/:id/replay/thumbnail`: the candidate that becomes the event's picture. */
export const ThumbnailChoiceRequest = z.object({ file: ThumbnailFile });
export type ThumbnailChoiceRequest = z.infer<typeof ThumbnailChoiceRequest>;

/** A frame of the recording, taken by the server. */
export interface ReplayThumbnail {
  file: string;
  url: string;
  /** The instant it was live. */
  at: string;
  /** Where it is in the untrimmed replay, in seconds; null when the film's cut removed it. */
  offset: number | null;
}

/** `GET /api/admin/events/:id/replay`: the replay as the public sees it, and what an admin decides about it. */
export interface ReplayAdminInfo extends ReplayInfo {
  trimIn: number | null;
  trimOut: number | null;
  filmRights: FilmRights;
  /** When a moderator marked the end of the film; null when nobody did. */
  talkStartsAt: string | null;
  /** The untrimmed replay's length: what the preview plays. */
  fullDurationSeconds: number;
  /** Where the talk begins in the untrimmed replay (the film is cut before it); 0 without a cut. */
  talkOffset: number;
  /** The untrimmed replay, for the admin's eyes only (signed, short-lived). */
  previewUrl?: string;
  /** What the event's recordings take on disk. */
  diskBytes: number;
  /** The event's chosen picture. */
  thumbnail: ReplayThumbnail | null;
}

/** `GET /api/admin/media/usage`: the disk each event's recordings take. */
export interface MediaUsage {
  events: { eventId: string; title: string | null; bytes: number }[];
  totalBytes: number;
}

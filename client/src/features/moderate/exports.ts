import { downloadName } from '../../app/save-download';

/** The exports of an event, as the server names them under `/api/events/:id/export/`. */
export const EXPORTS = ['questions.csv', 'questions.md', 'polls.csv', 'polls.md'] as const;
export type ExportName = (typeof EXPORTS)[number];

export const exportUrl = (eventId: string, name: ExportName): string =>
  `/api/events/${encodeURIComponent(eventId)}/export/${name}`;

/** The file name to save an export under: the server's, else `<event>-<name>` (see `downloadName`). */
export const exportFileName = (eventId: string, name: ExportName, contentDisposition: string | null): string =>
  downloadName(contentDisposition, `${eventId.replace(/[^\w.-]+/g, '-')}-${name}`);

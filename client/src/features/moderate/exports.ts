/** The exports of an event, as the server names them under `/api/events/:id/export/`. */
export const EXPORTS = ['questions.csv', 'questions.md', 'polls.csv', 'polls.md'] as const;
export type ExportName = (typeof EXPORTS)[number];

export const exportUrl = (eventId: string, name: ExportName): string =>
  `/api/events/${encodeURIComponent(eventId)}/export/${name}`;

/**
 * The file name to save an export under: the server's (`Content-Disposition`) when it gives a plain one, else
 * `<event>-<name>`. Never a path: anything but a file name from the header is ignored.
 */
export function exportFileName(eventId: string, name: ExportName, contentDisposition: string | null): string {
  const fallback = `${eventId.replace(/[^\w.-]+/g, '-')}-${name}`;
  if (!contentDisposition) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(contentDisposition);
  let candidate: string | null = null;
  if (star) {
    try {
      candidate = decodeURIComponent(star[1]!.trim());
    } catch {
      candidate = null;
    }
  }
  candidate ??= /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;\s]+)/i.exec(contentDisposition)?.slice(1).find(Boolean) ?? null;
  if (!candidate || /[\\/]/.test(candidate) || candidate.startsWith('.')) return fallback;
  return candidate;
}

import type { Download } from './api-client';

/**
 * The file name to save a download under: the server's (`Content-Disposition`) when it gives a plain one, else
 * `fallback`. Never a path: anything but a file name from the header is ignored.
 */
export function downloadName(contentDisposition: string | null, fallback: string): string {
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

/** Hands a file fetched with the person's token to the browser, to save as `name`. */
export function saveDownload(download: Download, fallback: string, container: Node): void {
  const url = URL.createObjectURL(download.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = downloadName(download.contentDisposition, fallback);
  link.hidden = true;
  container.appendChild(link);
  link.click();
  link.remove();
  // The browser has taken the file; the object URL can go once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

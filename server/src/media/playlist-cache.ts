import { readFile, stat } from 'node:fs/promises';

interface Entry {
  mtimeMs: number;
  size: number;
  value: unknown;
}

/**
 * Parsed playlists by file path. A live player polls every target duration, so parsing on each request would redo
 * the same work thousands of times a minute; a stat is cheap and lets a re-made recording show up without a restart.
 */
export class PlaylistCache {
  readonly #entries = new Map<string, Entry>();

  /** The parsed file, or undefined when it does not exist. Parse errors propagate and are not cached. */
  async read<T>(file: string, parse: (text: string) => T): Promise<T | undefined> {
    let info;
    try {
      info = await stat(file);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    if (!info.isFile()) return undefined;
    const cached = this.#entries.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.value as T;
    const value = parse(await readFile(file, 'utf8'));
    this.#entries.set(file, { mtimeMs: info.mtimeMs, size: info.size, value });
    return value;
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

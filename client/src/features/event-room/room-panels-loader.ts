let loading: Promise<unknown> | null = null;

/**
 * Fetches the watch page's panels once (room-panels.ts). A failure is forgotten, so that the next page fetches again,
 * and rejects for the page to say so.
 */
export function loadRoomPanels(): Promise<unknown> {
  loading ??= import('./room-panels').catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

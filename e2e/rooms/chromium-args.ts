/**
 * Chromium's flags for the room specs and the `rooms` bench row: the e2e suite's usual ones, plus the three a room
 * needs. --allow-loopback-in-peer-connection lets Chromium offer its `lo` address as an ICE candidate (it also offers
 * the 127.0.0.1 of the namespace's veth end, which it does not count as loopback); the two --use-fake-… flags give
 * every page a fake camera and microphone (a test pattern and a beep) without asking.
 */
export const ROOM_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--allow-loopback-in-peer-connection',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

import './app/theme.css';
import { ParvisApp } from './app/parvis-app';
import { loadPageChunk, pageChunk } from './app/pages';
import { matchRoute } from './app/routes';
import { preloadHls } from './player/hls-loader';
import { path } from './app/api-client';
import { prefetch } from './app/prefetch';
import { SESSION_STORAGE_KEY } from './app/session-store';
import { loadLang, loadTranslator } from './i18n/i18n';

// The page's chunk and the language's strings download side by side; the app starts once the strings are there, so
// that it never shows a key (the page's element upgrades when its chunk arrives).
const route = matchRoute(new URL(location.href));
const chunk = pageChunk(route);
// A visitor without a session gets the anonymous answer: the watch page's event downloads beside its code.
if (route.name === 'event' && !localStorage.getItem(SESSION_STORAGE_KEY)) prefetch(path`/api/events/${route.eventId}`);
if (chunk) {
  const page = loadPageChunk(chunk);
  page.catch(() => {}); // The app loads it again, and says so if it fails.
  // The watch page is there to play a video: hls.js downloads once the page's own code is in, while the event is
  // fetched and the player rendered, instead of after.
  if (chunk === 'event') void page.then(preloadHls, () => {});
}
ParvisApp.define(await loadTranslator(loadLang()));

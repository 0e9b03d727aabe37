import './app/theme.css';
import { ParvisApp } from './app/parvis-app';
import { loadPageChunk, pageChunk } from './app/pages';
import { matchRoute } from './app/routes';
import { loadLang, loadTranslator } from './i18n/i18n';

// The page's chunk and the language's strings download side by side; the app starts once the strings are there, so
// that it never shows a key (the page's element upgrades when its chunk arrives).
const chunk = pageChunk(matchRoute(new URL(location.href)));
if (chunk) loadPageChunk(chunk).catch(() => {}); // The app loads it again, and says so if it fails.
ParvisApp.define(await loadTranslator(loadLang()));

import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { PreparedResponses } from './http/prepared-responses';
import type { Logger } from 'pino';
import { createMediaRouter, createRecordingsRouter } from './media/index';
import { errorMiddleware, notFoundApi } from './http/error-middleware';
import { healthRoutes } from './http/health';
import { staticClient } from './http/static-client';
import { accessRoutes } from './modules/access/access.routes';
import type { AuthService } from './modules/access/auth.service';
import { HttpAuth } from './modules/access/http-auth';
import type { AccessPolicy } from './modules/access/policy';
import type { SetupService } from './modules/access/setup.service';
import type { TokenService } from './modules/access/token.service';
import { adminRoutes } from './modules/admin/admin.routes';
import type { AuditLog } from './core/audit';
import type { InviteService } from './modules/admin/invite.service';
import type { RoleService } from './modules/admin/role.service';
import type { Clock } from './core/clock';
import { calendarRoutes } from './modules/calendar/calendar.routes';
import type { CalendarFiles } from './modules/calendar/calendar-files';
import type { Mail } from './modules/mail/mail';
import { outboxRoutes } from './modules/mail/outbox.routes';
import type { PersonLinks } from './modules/registrations/person-links';
import type { Store } from './store/store';
import { exportRoutes } from './modules/exports/exports.routes';
import type { ExportService } from './modules/exports/exports.service';
import { programmeRoutes } from './modules/programme/programme.routes';
import type { ProgrammeService } from './modules/programme/programme.service';
import { appointmentRoutes } from './modules/appointments/appointments.routes';
import type { AppointmentService } from './modules/appointments/appointment.service';
import { registrationAdminRoutes } from './modules/registrations/registrations-admin.routes';
import { registrationRoutes } from './modules/registrations/registrations.routes';
import { roomRoutes } from './modules/rooms/rooms.routes';
import type { RoomsService } from './modules/rooms/rooms.service';
import type { RegistrationService } from './modules/registrations/registration.service';
import { testClockRoutes } from './modules/registrations/test-clock.routes';
import type { ShiftedClock } from './core/clock';
import { captionRoutes } from './modules/captions/captions.routes';
import type { CaptionsService } from './modules/captions/captions.service';
import { timelineRoutes } from './modules/timeline/timeline.routes';
import { hallRoutes } from './modules/hall/hall.routes';
import { figuresRoutes } from './modules/audience/figures.routes';
import type { FiguresService } from './modules/audience/figures.service';
import type { TimelineService } from './modules/timeline/timeline.service';
import { replayMediaRouter, replayRoutes, type ReplayService } from './modules/replay/index';
import { observeHttp } from './ops/http-observer';
import type { Metrics } from './ops/metrics';
import { metricsEndpoint } from './ops/metrics-endpoint';
import type { Shutdown } from './ops/shutdown';

export interface AppDeps {
  programme: ProgrammeService;
  tokens: TokenService;
  auth: AuthService;
  setup: SetupService;
  policy: AccessPolicy;
  invites: InviteService;
  roles: RoleService;
  audit: AuditLog;
  /** The Q&A and poll reports of an event (`/api/events/:id/export/…`). */
  exports: ExportService;
  /** For the calendar feeds and the outbox, which read registrations and emails. */
  store: Store;
  clock: Clock;
  links: PersonLinks;
  /** `.ics` files (modules/calendar). */
  calendarFiles: CalendarFiles;
  /** The outbox's renderer and transport, for the admins' outbox page (modules/mail). */
  mail: Mail;
  /** Sign-up: registrations, the personal page, the registrants of the librarians. */
  registrations: RegistrationService;
  /** Help desks and their appointments (`/api/admin/help-desks`, `/api/me/appointments`). */
  appointments: AppointmentService;
  /** PARVIS_TEST_CLOCK=1 only: the clock `POST /api/test/clock` shifts (a test hook). */
  testClock?: ShiftedClock | undefined;
  /** What the live left for the replay (`/api/events/:id/timeline`, `chapters.vtt`). */
  timeline: TimelineService;
  /** Audience figures for admins (`/api/admin/events/:id/figures`, `/api/admin/figures`). */
  figures: FiguresService;
  /** Recorded replays: their API, and their files at `/media/events/`. */
  replays: ReplayService;
  /** Live captions: the ingest URL of captioning software, the WebVTT files, the admins' editor (issue 12). */
  captions: CaptionsService;
  /** Anonymous answers prepared once per change and served before the app (http/prepared-responses.ts). */
  prepared?: PreparedResponses;
  /** Where people reach Parvis; an https origin makes the refresh cookie Secure. */
  publicOrigin: string;
  /** Express's `trust proxy`: which hops may report the client's address. */
  trustProxy: boolean | number | string;
  mediaDir: string;
  clientDir: string;
  /** Extra origins the player may fetch HLS from (a media server on another host). */
  mediaOrigins: string[];
  /** Resolves when this process can serve requests that need the store (`GET /readyz`), rejects while it cannot. */
  ready: () => Promise<void>;
  log: Logger;
  metrics: Metrics;
  /** METRICS_TOKEN: who may read `GET /metrics` (ops/metrics-endpoint.ts). */
  metricsToken: string | undefined;
  /** Counts the requests a graceful stop waits for. */
  shutdown: Shutdown;
  /** RECORDINGS_DIR, served at /media/events/ with the live playlists of broadcasts from OBS. */
  recordingsDir: string;
  /** The ingest's routes: an event's stream key (every process), nginx's hooks (where the ingest runs). */
  ingest: { routes(policy: AccessPolicy, http: HttpAuth): Router; hookRoutes(): Router };
  /** INGEST_ONLY: a media machine serves the ingest's routes and the media, not the client or the rest of the API. */
  ingestOnly?: boolean;
  /** `GET /api/events/:id/room` and the host's actions (modules/rooms). */
  rooms: RoomsService;
}

/** The HTTP side of Parvis. Never reads the environment: everything comes in `deps`. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy);
  app.use(observeHttp({ metrics: deps.metrics, log: deps.log, shutdown: deps.shutdown }));

  app.get('/metrics', metricsEndpoint(deps.metrics, deps.metricsToken));
  app.use(healthRoutes(deps.ready));

  // Media first and without helmet: segments are fetched cross-origin by players and embeds. The recordings before
  // MEDIA_DIR, which a folder `MEDIA_DIR/events` would otherwise shadow (docs/media.md). The replays' router comes
  // before the recordings' origin: it alone answers for `replay/` and `thumbs/` (unpublished replays, the manifest).
  app.use('/media/events', replayMediaRouter(deps.replays));
  app.use('/media/events', createRecordingsRouter({ recordingsDir: deps.recordingsDir }));
  app.use('/media', createMediaRouter({ mediaDir: deps.mediaDir }));

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          // Lit adopts constructed stylesheets; older engines fall back to <style> elements.
          'style-src': ["'self'", "'unsafe-inline'"],
          // The programme's pictures are frames of the recordings, which a media machine may serve.
          'img-src': ["'self'", 'data:', 'blob:', ...deps.mediaOrigins],
          // hls.js feeds the <video> through MediaSource blob: URLs and may run its demuxer in a blob: worker.
          'media-src': ["'self'", 'blob:', ...deps.mediaOrigins],
          'worker-src': ["'self'", 'blob:'],
          'connect-src': ["'self'", ...deps.mediaOrigins],
          'upgrade-insecure-requests': null,
        },
      },
      // Plain-HTTP installs on a library's LAN are common; HTTPS deployments set HSTS at the proxy.
      strictTransportSecurity: false,
    }),
  );

  const api = express.Router();
  api.use(express.json({ limit: '16kb' }));
  const http = new HttpAuth(deps.auth);
  const cookie = { secure: deps.publicOrigin.startsWith('https:') };
  api.use(deps.ingest.hookRoutes());
  api.use(deps.ingest.routes(deps.policy, http));
  // INGEST_ONLY: the API ends here.
  if (deps.ingestOnly) api.use(notFoundApi);
  api.use(programmeRoutes(deps.programme, deps.policy, http, (event) => deps.registrations.publicSignUp(event), deps.prepared));
  api.use(accessRoutes({ auth: deps.auth, http, setup: deps.setup, policy: deps.policy, cookie }));
  api.use(
    adminRoutes({
      programme: deps.programme,
      invites: deps.invites,
      roles: deps.roles,
      audit: deps.audit,
      policy: deps.policy,
      http,
      cookie,
    }),
  );
  api.use(exportRoutes({ exports: deps.exports, programme: deps.programme, policy: deps.policy, http }));
  api.use(
    calendarRoutes({
      programme: deps.programme,
      policy: deps.policy,
      http,
      store: deps.store,
      links: deps.links,
      files: deps.calendarFiles,
      clock: deps.clock,
    }),
  );
  api.use(
    outboxRoutes({
      store: deps.store,
      renderer: deps.mail.renderer,
      transport: deps.mail.transport,
      http,
      policy: deps.policy,
      clock: deps.clock,
    }),
  );
  api.use(registrationRoutes({ registrations: deps.registrations, links: deps.links }));
  api.use(roomRoutes({ rooms: deps.rooms, links: deps.links, http, publicOrigin: deps.publicOrigin }));
  api.use(registrationAdminRoutes({ registrations: deps.registrations, policy: deps.policy, http }));
  api.use(appointmentRoutes({ appointments: deps.appointments, links: deps.links, policy: deps.policy, http }));
  if (deps.testClock) api.use(testClockRoutes(deps.testClock));
  api.use(timelineRoutes({ timeline: deps.timeline, programme: deps.programme, policy: deps.policy, http }));
  api.use(replayRoutes({ replays: deps.replays, policy: deps.policy, http }));
  api.use(hallRoutes({ programme: deps.programme, publicOrigin: deps.publicOrigin }));
  api.use(figuresRoutes({ figures: deps.figures, policy: deps.policy, http }));
  api.use(captionRoutes({ captions: deps.captions, programme: deps.programme, policy: deps.policy, http }));
  api.use(notFoundApi);
  app.use('/api', api);

  if (!deps.ingestOnly) app.use(staticClient(deps.clientDir));
  app.use(errorMiddleware(deps.log));
  return app;
}

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Redis } from 'ioredis';
import type { Express } from 'express';
import { createApp } from './app';
import type { Config } from './config';
import { AuthService, GUEST_WINDOW_SECONDS, LOGIN_MAX_FAILURES, LOGIN_WINDOW_SECONDS } from './modules/access/auth.service';
import { keepSharedSecret, loadJwtSecret, SHARED_SECRET_KEY } from './modules/access/jwt-secret';
import { AccessPolicy } from './modules/access/policy';
import { SetupService } from './modules/access/setup.service';
import { socketAuthSignals } from './modules/access/socket-signals';
import { TokenService } from './modules/access/token.service';
import { AuditLog } from './core/audit';
import { rateLimiterFactory } from './core/rate-limit';
import { InviteService } from './modules/admin/invite.service';
import { RoleService } from './modules/admin/role.service';
import { AudienceSampler } from './modules/audience/audience-sampler';
import { AudienceTracker } from './modules/audience/audience-tracker';
import { audienceHandlers } from './modules/audience/audience.socket';
import { FiguresService } from './modules/audience/figures.service';
import { ChatFanout } from './modules/chat/chat-fanout';
import { LocalChatRelay, RedisChatRelay, type ChatRelay } from './modules/chat/chat-relay';
import { ChatService } from './modules/chat/chat.service';
import { chatHandlers } from './modules/chat/chat.socket';
import { socketQuestionsListener } from './modules/questions/questions.broadcast';
import { QUESTION_ASK_LIMIT, QUESTION_VOTE_LIMIT, QuestionsService } from './modules/questions/questions.service';
import { questionHandlers } from './modules/questions/questions.socket';
import { ModerationService } from './modules/moderation/moderation.service';
import { moderationHandlers, socketModerationNotifier } from './modules/moderation/moderation.socket';
import { ExportService } from './modules/exports/exports.service';
import { socketPollsListener } from './modules/polls/polls.broadcast';
import { PollsService } from './modules/polls/polls.service';
import { pollHandlers } from './modules/polls/polls.socket';
import { reactionHandlers } from './modules/reactions/reactions.socket';
import { socketReactionBursts } from './modules/reactions/reactions.broadcast';
import { ReactionRecorder } from './modules/reactions/reaction-recorder';
import { REACTION_RATE_POINTS, REACTION_RATE_SECONDS, ReactionsService } from './modules/reactions/reactions.service';
import { ensureDemoProgramme } from './modules/programme/demo-programme';
import { socketProgrammeListener } from './modules/programme/programme.broadcast';
import { AppointmentEmails } from './modules/appointments/appointment-emails';
import { appointmentRoomAccess } from './modules/appointments/appointment-room-access';
import { AppointmentService } from './modules/appointments/appointment.service';
import { PersonLinks } from './modules/registrations/person-links';
import { RegistrationService, SIGNUP_ADDRESS_WINDOW_SECONDS, SIGNUP_EMAIL_LIMIT } from './modules/registrations/registration.service';
import { registrationsListener } from './modules/registrations/registrations.listener';
import { Scheduler, type SchedulerTask } from './modules/registrations/scheduler';
import { ShiftedClock, systemClock, type Clock } from './core/clock';
import { liveRoomHandlers } from './modules/live-room/live-room.socket';
import { CalendarFiles } from './modules/calendar/calendar-files';
import { createMail } from './modules/mail/mail';
import { allProgrammeListeners, ProgrammeService } from './modules/programme/programme.service';
import { ffmpegFrameGrabber, PreviewTokens, ReplayService } from './modules/replay/index';
import { createIngest, type Ingest } from './modules/ingest/ingest';
import type { BroadcastListener } from './modules/ingest/ingest.service';
import type { ReplayMaps } from './modules/timeline/replay-maps';
import type { RoomAccessExtension } from './modules/rooms/room-access-extension';
import { createRooms, type Rooms } from './modules/rooms/rooms';
import { TimelineService } from './modules/timeline/timeline.service';
import { CaptionsService } from './modules/captions/captions.service';
import { captionHandlers } from './modules/captions/captions.socket';
import { addressResolver } from './http/client-address';
import { ClusterConnectionCap, LocalConnectionCap, type ConnectionCap } from './realtime/connection-cap';
import { Metrics } from './ops/metrics';
import { Shutdown } from './ops/shutdown';
import { timedStore } from './ops/timed-store';
import { AckGate } from './realtime/ack-gate';
import { socketGateway } from './realtime/handler';
import { createIo } from './realtime/io';
import { PreparedResponses } from './http/prepared-responses';
import { broadcastLocal } from './realtime/local-broadcast';
import { eventRoom, eventStaffRoom } from './realtime/rooms';
import { ClusterPresence, LocalPresence, type Presence } from './realtime/presence';
import { attachRedisAdapter, connectRedis } from './realtime/redis-adapter';
import { openRedisStore } from './store/redis/redis-store';
import type { ParvisServer } from './realtime/types';
import { openSqliteStore } from './store/sqlite/sqlite-store';
import type { Store } from './store/store';

export interface RunningParvis {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  store: Store;
  io: ParvisServer;
  log: Logger;
  metrics: Metrics;
  /** Sign-up, for tests that reach past the API (the demo seeding, a registrant's token). */
  registrations: RegistrationService;
  /** Personal links, for tests that play a person who opened their email. */
  links: PersonLinks;
  /** The sign-up deadlines of this process: tests call `runOnce(now)`. */
  scheduler: Scheduler;
  /** Help-desk appointments' side of room access (partners are members, phone desks are by phone). */
  roomAccess: RoomAccessExtension;
  /** The one-time link that creates the first admin, while there is none. */
  setupUrl: string | undefined;
  /** Broadcasting from OBS: nginx, the transcoder and the sweeper when RTMP_PORT is set (modules/ingest). */
  ingest: Ingest;
  /** Rooms of our own: Janus supervised (ROOMS=janus) or external (JANUS_URL), the room service, the /janus proxy. */
  rooms: Rooms;
  /** Audience figures of this process: tests send heartbeats on their clock and call `sampler.tick()`. */
  audience: { tracker: AudienceTracker; sampler: AudienceSampler; processId: string };
  /** Stops at once: sockets and connections are dropped (tests, and a second signal). */
  close(): Promise<void>;
  /** Stops gracefully within SHUTDOWN_GRACE_MS (SIGTERM): see ops/shutdown.ts. */
  shutdown(): Promise<void>;
}

/** What a caller may build itself instead of the config. */
export interface ParvisParts {
  /**
   * The store to use (and close on close()) instead of the one the config names: a test that needs a database it
   * controls, such as one limited in size.
   */
  store?: Store;
  /**
   * The clock of sign-up (offers, reminders, join links, retention, which series dates are upcoming) instead of the
   * system's: a test's own, moved by hand.
   */
  clock?: Clock;
  /** False: the scheduler does not tick by itself, and the test calls `scheduler.runOnce(now)`. Default true. */
  schedulerTimer?: boolean;
  /** Told when a broadcast from OBS ends (a test's own, instead of the replay's). */
  broadcasts?: BroadcastListener;
  /** Where the timeline finds replay maps, instead of the replay module: a test's hand-built map. */
  replayMaps?: ReplayMaps;
  /** The clock of the audience figures (heartbeats, samples) instead of the system's. */
  audienceClock?: Clock;
  /** False: the audience sampler does not tick by itself, and the test calls `audience.sampler.tick()`. Default true. */
  audienceTimer?: boolean;
  /** Who else may enter a room (help-desk appointments), see modules/rooms/room-access-extension.ts. */
  roomAccess?: RoomAccessExtension;
}

/**
 * The composition root: config → store → services → HTTP app and Socket.IO → listen. Tests call it with port 0
 * and a temporary data directory; main.ts calls it with the environment's config.
 */
export async function startParvis(
  config: Config,
  log: Logger = pino({ level: config.logLevel }),
  parts: ParvisParts = {},
): Promise<RunningParvis> {
  const redisUrl = config.redisUrl;
  const metrics = new Metrics();
  const shutdown = new Shutdown();
  // ioredis reports every failed reconnect; one line per outage is enough for the log.
  let redisDown = false;
  const onRedisError = (err: unknown) => {
    if (redisDown) return;
    redisDown = true;
    log.error({ err }, 'Redis is unreachable; requests get UNAVAILABLE until it is back');
  };
  const onRedisReady = () => {
    if (redisDown) log.info('Redis is reachable again');
    redisDown = false;
  };

  // Requests hear UNAVAILABLE when SQLite cannot write (a full disk…); the log says why, once a minute at most.
  let sqliteAlarmAt = -Infinity;
  const onSqliteUnavailable = (err: unknown) => {
    if (Date.now() - sqliteAlarmAt < 60_000) return;
    sqliteAlarmAt = Date.now();
    log.error({ err }, 'SQLite cannot serve requests (full disk, I/O error, locked or read-only file): UNAVAILABLE');
  };

  const store: Store = timedStore(
    parts.store ??
      (redisUrl
        ? await openRedisStore(redisUrl, { onConnectionError: onRedisError })
        : openSqliteStore(join(config.dataDir, 'parvis.sqlite'), { onUnavailable: onSqliteUnavailable })),
    (op, seconds, failed) => metrics.observeStore(op, seconds, failed),
  );
  // Rate limits, viewer counts and the adapter share one more connection: Redis serves many clients cheaply, and
  // the store keeps its own so that its fail-fast settings apply to it alone.
  const redis: Redis | undefined = redisUrl ? await connectRedis(redisUrl, onRedisError) : undefined;
  redis?.on('ready', onRedisReady);
  // Before anything is served: a weak or missing key stops the start, and what was opened is closed again.
  const secret = await loadJwtSecret({ fromEnv: config.jwtSecret, dataDir: config.dataDir, redis }).catch(async (err: unknown) => {
    await store.close();
    redis?.disconnect();
    throw err;
  });
  if (redis && config.jwtSecret === undefined) {
    keepSharedSecret(redis, secret, () =>
      log.error(
        `The signing key in Redis (${SHARED_SECRET_KEY}) is no longer the one this process signs with, so tokens from ` +
          'other processes may be refused: restart every process, or set the same JWT_SECRET on each',
      ),
    );
  }
  // A media machine (INGEST_ONLY) shares the programme of the others; seeding it is theirs to do.
  const seeded = config.ingest.only ? 'kept' : await ensureDemoProgramme(store, new Date());
  if (seeded !== 'kept') log.info(`demo programme ${seeded}`);

  const tokens = new TokenService(secret);
  const audit = new AuditLog(store);
  const policy = new AccessPolicy(store);
  // Counted in Redis when processes share the load, so that a limit holds however requests are spread.
  const rateLimiter = rateLimiterFactory(redis);
  const chatLimiters = {
    person: rateLimiter({ keyPrefix: 'parvis:rate:chat', points: config.chatRateLimit, duration: 10 }),
    address: rateLimiter({ keyPrefix: 'parvis:rate:chat-address', points: config.chatAddressRateLimit, duration: 10 }),
  };
  const loginLimiter = rateLimiter({ keyPrefix: 'parvis:rate:login', points: LOGIN_MAX_FAILURES, duration: LOGIN_WINDOW_SECONDS });
  const guestLimiter = rateLimiter({ keyPrefix: 'parvis:rate:guest', points: config.guestRateLimit, duration: GUEST_WINDOW_SECONDS });
  // Across processes with Redis, so that a load balancer spreading one client's sockets does not multiply the cap.
  const connections: ConnectionCap = redis
    ? new ClusterConnectionCap(redis, config.socketsPerAddress, log)
    : new LocalConnectionCap(config.socketsPerAddress);

  // The services need `io` (to tell sockets about changes and revocations) and the app needs the services, so Socket.IO
  // attaches first and the server's request handler forwards to the app, built below, before anything listens.
  let app: Express | undefined;
  let prepared: PreparedResponses | undefined;
  const httpServer = createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // Node enforces both timeouts only when it sweeps its connections (every 30 s by default): sweep often enough
      // that a slow client is cut within a quarter of the timeout past it.
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(Math.min(config.headersTimeoutMs, config.requestTimeoutMs) / 4))),
    },
    (req, res) => {
      if (prepared?.serve(req, res)) return;
      app!(req, res);
    },
  );
  httpServer.keepAliveTimeout = config.keepAliveTimeoutMs;
  httpServer.maxConnections = config.maxConnections;
  const io = createIo(httpServer, {
    authenticate: (token) => auth.authenticate(token),
    allowedOrigins: [config.publicOrigin, ...config.allowedOrigins],
    addressOf: addressResolver(config.trustProxy, log),
    connections,
    log,
  });
  io.use(shutdown.refuseHandshakes);
  // Socket.IO takes its own upgrades (/socket.io/); /janus goes to Janus; any other upgrade is refused at once.
  httpServer.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').startsWith('/socket.io/')) return;
    if (rooms.handleUpgrade(req, socket, head)) return;
    socket.destroy();
  });
  // INGEST_ONLY: Socket.IO is here for its adapter only (event:updated and ingest:health reach the other processes).
  if (config.ingest.only) io.use((_socket, next) => next(new Error('This process runs the ingest only')));
  const adapterClients = redisUrl
    ? await attachRedisAdapter(io, redisUrl, config.socketAdapter, onRedisError)
    : [];
  const presence: Presence = redis ? new ClusterPresence(io, redis, log) : new LocalPresence(io);
  // The fan-out's window follows the room's whole audience, not this process's share of it: spread over more
  // processes, a room keeps the batching (so the CPU per delivery) it had on one, and each process writes fewer frames.
  const localViewers = (eventId: string) => io.of('/').adapter.rooms.get(eventRoom(eventId))?.size ?? 0;
  const roomSize = (eventId: string) => Math.max(localViewers(eventId), presence.latest(eventId));
  // Each process batches chat for its own sockets only; with Redis, the relay brings it every process's messages once.
  const fanout = new ChatFanout((eventId, messages) => {
    metrics.chat.frames++;
    metrics.chat.messages += messages.length;
    broadcastLocal(io, eventRoom(eventId), 'chat:messages', { eventId, messages });
  }, roomSize);
  // A subscriber cannot run other commands, so the relay listens on a connection of its own.
  const chatSubscriber = redis ? await connectRedis(redisUrl!, onRedisError, { enableOfflineQueue: true }) : undefined;
  const chatRelay: ChatRelay =
    redis && chatSubscriber ? await RedisChatRelay.start(fanout, redis, chatSubscriber, log) : new LocalChatRelay(fanout);

  const signals = socketAuthSignals(io);
  const auth = new AuthService({ store, tokens, loginLimiter, guestLimiter, audit, signals });
  const setup = new SetupService(store, secret, auth, audit);
  // Sign-up runs on its own clock, so that tests (and PARVIS_TEST_CLOCK, for end-to-end tests) can move its time.
  const testClock = !parts.clock && config.testClock ? new ShiftedClock() : undefined;
  if (testClock) log.warn('PARVIS_TEST_CLOCK=1: the sign-up clock can be moved through POST /api/test/clock (a test hook)');
  const signUpClock: Clock = parts.clock ?? testClock ?? systemClock;
  const links = new PersonLinks(tokens, store, config.publicOrigin);
  // The programme tells sign-up about its changes, and sign-up changes an event's form through the programme: the
  // listener reaches the service once both exist.
  let registrations: RegistrationService | undefined;
  // Whether the rooms run: the rooms are made below, with sign-up, and sign-up asks at each personal page.
  let roomsRunning = (): boolean => false;
  const signUpListener = registrationsListener({
    store,
    clock: signUpClock,
    refill: (event) => registrations!.refill(event),
    reminderHours: config.reminderHours,
    retentionDays: config.registrationRetentionDays,
    log,
  });
  // The replay hears of events that end (to assemble them) and of events deleted (to delete their recordings). It is
  // made just below, before anything can change the programme.
  const programme: ProgrammeService = new ProgrammeService(
    store,
    audit,
    allProgrammeListeners(socketProgrammeListener(io, policy, presence, log), signUpListener, {
      eventChanged: (event, before) => replays.programmeListener().eventChanged(event, before),
      eventDeleted: (eventId) => replays.programmeListener().eventDeleted(eventId),
    }),
    signUpClock,
  );
  registrations = new RegistrationService({
    store,
    programme,
    clock: signUpClock,
    links,
    tokens,
    audit,
    limiters: {
      address: rateLimiter({ keyPrefix: 'parvis:rate:signup', points: config.signupRateLimit, duration: SIGNUP_ADDRESS_WINDOW_SECONDS }),
      email: rateLimiter({ keyPrefix: 'parvis:rate:signup-email', ...SIGNUP_EMAIL_LIMIT }),
    },
    offerHours: config.offerHours,
    joinUrlLeadMinutes: config.joinUrlLeadMinutes,
    retentionDays: config.registrationRetentionDays,
    roomsRunning: () => roomsRunning(),
  });
  // Help desks: slots booked through sign-up, given to partners by librarians (modules/appointments).
  const appointments = new AppointmentService({ store, programme, clock: signUpClock, audit });
  const roomAccess = appointmentRoomAccess(store);
  // A freshly seeded or moved demo gets the deadlines of its registration events, as events made in the admin do.
  if (seeded !== 'kept') {
    for (const event of await store.programme.listEvents({})) {
      if (event.access === 'registration') await signUpListener.eventChanged(event, undefined);
    }
  }
  // Rooms of our own: every process answers GET /room and proxies /janus; Janus itself starts after listening. Besides
  // registrants and staff, an appointment's partner may enter (and a phone desk has no room): the help desks' hook.
  const rooms = createRooms({ config, store, policy, registrations, clock: signUpClock, serverSecret: secret, extension: parts.roomAccess ?? roomAccess, log });
  roomsRunning = () => rooms.running;
  // Extra work for each tick (the mail sender's `runOnce`, the rooms' opening and closing), wired here by the
  // composition root.
  const schedulerTasks: SchedulerTask[] = [];
  const scheduler = new Scheduler({
    store,
    clock: signUpClock,
    expireOffer: (id, now) => registrations.expireOffer(id, now),
    tickMs: config.schedulerTickMs,
    retentionDays: config.registrationRetentionDays,
    tasks: schedulerTasks,
    reminders: (eventId, lead, intents, at) => appointments.reminders(eventId, lead, intents, at),
    log,
  });
  const replays: ReplayService = new ReplayService({
    store,
    programme,
    audit,
    policy,
    recordingsDir: config.recordingsDir,
    mediaOrigin: config.ingest.publicOrigin,
    previews: new PreviewTokens(secret),
    grabFrame: ffmpegFrameGrabber(config.ingest.ffmpegPath),
    log,
  });
  const ingest = createIngest({
    config,
    store,
    programme,
    audit,
    publishHealth: (eventId, health) => io.to(eventStaffRoom(eventId)).emit('ingest:health', { eventId, health }),
    // The replay assembles what was recorded once a broadcast is over and its transcoder has stopped.
    listener: parts.broadcasts ?? replays,
    log,
  });
  const moderation = new ModerationService({
    store,
    policy,
    audit,
    notifier: socketModerationNotifier(io),
    publishChat: (message) => chatRelay.publish(message),
  });
  const chat = new ChatService(store, chatLimiters, policy, moderation);
  const questions = new QuestionsService({
    store,
    policy,
    moderation,
    audit,
    listener: socketQuestionsListener(io),
    askLimiter: rateLimiter({ keyPrefix: 'parvis:rate:ask', ...QUESTION_ASK_LIMIT }),
    voteLimiter: rateLimiter({ keyPrefix: 'parvis:rate:vote', ...QUESTION_VOTE_LIMIT }),
  });
  const invites = new InviteService({ store, tokens, auth, audit, publicOrigin: config.publicOrigin });
  const roles = new RoleService(store, audit, signals);
  const polls = new PollsService({
    store,
    policy,
    audit,
    moderation,
    listener: socketPollsListener(io),
    onError: (err) => log.warn({ err }, 'could not send a poll results update'),
  });
  // Bursts of reactions: with Redis, each process shares its clicks with the others through the adapter.
  const reactionBursts = socketReactionBursts(io, { cluster: Boolean(redisUrl), log });
  // Each process keeps its own clicks per second for the replay; the store adds the processes up.
  const reactionRecorder = new ReactionRecorder({
    store: store.reactions,
    onError: (err) => log.warn({ err }, 'could not keep a second of reactions for the replay'),
  });
  const reactions = new ReactionsService({
    bursts: reactionBursts,
    recorder: reactionRecorder,
    limiter: rateLimiter({ keyPrefix: 'parvis:rate:reaction', points: REACTION_RATE_POINTS, duration: REACTION_RATE_SECONDS }),
    moderation,
    policy,
    getEvent: (eventId) => programme.getEvent(eventId),
  });

  // Audience figures: this process's players, counted every 30 s into the store, which sums the processes.
  const audienceClock = parts.audienceClock ?? systemClock;
  const processId = randomUUID();
  const audienceTracker = new AudienceTracker({ store: store.audience, clock: audienceClock });
  const audienceSampler = new AudienceSampler({
    tracker: audienceTracker,
    store: store.audience,
    clock: audienceClock,
    processId,
    liveEvents: async () => (await programme.listEvents({})).filter((e) => e.status === 'live').map((e) => e.id),
    staffHere: (eventId) => (io.of('/').adapter.rooms.get(eventStaffRoom(eventId))?.size ?? 0) > 0,
    // Each process tells its own moderators, from every process's delays.
    publishDelay: (delay) => io.local.to(eventStaffRoom(delay.eventId)).emit('audience:delay', delay),
    onError: (err) => log.warn({ err }, 'could not sample the audience'),
  });
  // Live captions: each cue goes to the event's room as it comes (and again when a correction or the next line changes it).
  const captions = new CaptionsService({
    store,
    programme,
    policy,
    audit,
    maps: parts.replayMaps ?? replays,
    publish: (eventId, cue) => io.to(eventRoom(eventId)).emit('captions:cue', { eventId, cue }),
    publicOrigin: config.publicOrigin,
    clock: systemClock,
  });

  const calendarFiles = new CalendarFiles(config.publicOrigin);
  const mail = createMail({
    config,
    store,
    links,
    files: calendarFiles,
    appointments: new AppointmentEmails({ store, links, files: calendarFiles, publicOrigin: config.publicOrigin }),
    log,
  });
  // The outbox is sent at each tick of the scheduler, after the deadlines that write emails.
  schedulerTasks.push((now) => mail.sender.runOnce(now));
  // Then the rooms: a slow Janus must not hold the mail back.
  schedulerTasks.push((now) => rooms.tick(now));

  prepared = new PreparedResponses({
    version: () => programme.version,
    observe: (route, status, seconds) => metrics.observeHttp('GET', route, status, seconds),
    stopping: () => shutdown.isStopping,
  });
  app = createApp({
    prepared,
    programme,
    tokens,
    auth,
    setup,
    policy,
    invites,
    roles,
    audit,
    exports: new ExportService(store),
    store,
    clock: signUpClock,
    links,
    calendarFiles,
    mail,
    registrations,
    appointments,
    testClock,
    // The timeline places what the live left on the replay's clock: the replay's map.
    timeline: new TimelineService(store, parts.replayMaps ?? replays),
    replays,
    figures: new FiguresService(store),
    captions,
    publicOrigin: config.publicOrigin,
    trustProxy: config.trustProxy,
    mediaDir: config.mediaDir,
    recordingsDir: config.recordingsDir,
    ingest,
    ingestOnly: config.ingest.only,
    rooms: rooms.service,
    clientDir: config.clientDir,
    mediaOrigins: config.mediaOrigins,
    // Not ready while stopping either: the load balancer moves on before the connections close.
    ready: async () => {
      if (shutdown.isStopping) throw new Error('stopping');
      await store.ping();
    },
    log,
    metrics,
    metricsToken: config.metricsToken,
    shutdown,
  });

  // Made once: every socket shares the same listeners (see realtime/handler.ts), behind the gate that counts their acks
  // and lets the process stop without leaving one unanswered. Throws if an event has no handler.
  const acks = new AckGate((event) => metrics.ackTally(event));
  const onConnection = socketGateway(log, acks.wrap([
    ...liveRoomHandlers({
      programme,
      policy,
      chat,
      questions,
      moderation,
      polls,
      presence,
      attended: (user, eventId) => registrations.markJoined(user, eventId),
      captions,
      log,
    }),
    ...chatHandlers({ programme, chat, relay: chatRelay, log }),
    ...questionHandlers({ questions, programme, log }),
    ...moderationHandlers({ moderation, programme, log }),
    ...pollHandlers({ polls, programme, log }),
    ...reactionHandlers({ reactions, log }),
    ...audienceHandlers({ tracker: audienceTracker, clock: audienceClock, log }),
    ...captionHandlers({ captions, log }),
  ]));
  io.on('connection', onConnection);
  metrics.watch({
    sockets: () => io.of('/').sockets.size,
    viewers: async () =>
      (await programme.listEvents({})).flatMap((event) => {
        const viewers = localViewers(event.id);
        return viewers > 0 ? [[event.id, viewers] as const] : [];
      }),
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  // After listening: nginx's hooks call this port. A failure leaves Parvis running without the ingest.
  await ingest.start(port).catch((err: unknown) => log.error({ err }, 'The ingest could not start: Parvis runs without it'));
  if (!config.ingest.only) {
    await rooms.start().catch((err: unknown) => log.error({ err }, 'Rooms could not start: room events use their joinUrl'));
  }
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  // A fresh install has no admin yet: whoever reads the server's output may create the first one, once. The link
  // itself is printed by main.ts as a plain line, where a person starting the server sees it; the log says where.
  const setupToken = config.ingest.only ? undefined : await setup.pendingToken();
  const setupUrl = setupToken ? `${config.publicOrigin}/admin/setup#${setupToken}` : undefined;
  if (setupUrl) log.warn('No admin yet: the one-time setup link is printed on standard output, or run `npm run admin:create`');

  if (parts.schedulerTimer !== false) scheduler.start();
  if (parts.audienceTimer !== false) audienceSampler.start();
  // A process stopped or killed while an event ended left its recordings unassembled: finish them, in the background.
  void replays.recover().catch((err: unknown) => log.error({ err }, 'could not look for recordings left to assemble'));

  let flushing: Promise<void> | undefined;
  const flush = () =>
    (flushing ??= (async () => {
      await scheduler.stop();
      // Assemblies under way write to the store: let them finish before it closes.
      await replays.idle();
      await presence.close();
      await connections.close();
      await chatRelay.close();
      reactionBursts.close();
      await reactionRecorder.close();
      await audienceSampler.close();
      polls.close();
    })());
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // First: ffmpeg finishes its files and nginx lets OBS go while the store can still hear about it.
      await ingest.stop();
      await flush();
      await rooms.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      mail.transport.close();
      await store.close();
      for (const client of [...adapterClients, chatSubscriber, redis]) client?.disconnect();
    })());

  const stop = () => shutdown.run({ httpServer, io, acks, graceMs: config.shutdownGraceMs, log, flush, close });

  return { url, port, store, io, log, metrics, registrations, links, scheduler, setupUrl, ingest, rooms, roomAccess, audience: { tracker: audienceTracker, sampler: audienceSampler, processId }, close, shutdown: stop };
}

import type { AuditEntry } from '#shared/domain/account';
import type { StringKey, Translator } from '../../i18n/i18n';
import { formatPosition } from './replay-time';

/**
 * The audit log in words. The server records each action with machine details (`questionId`, `from`/`to`,
 * `slowModeSeconds`…); a librarian reads "Approved the question “…”." in the page's language. An action this client
 * does not know yet is still named, never shown as raw JSON.
 */

type Details = Readonly<Record<string, unknown>>;

const text = (details: Details, key: string): string | undefined => {
  const value = details[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** The form label of each field an event update may change, as the admin saw it in the form. */
const FIELD_LABELS: Readonly<Record<string, StringKey>> = {
  kind: 'form.kind',
  title: 'form.title',
  summary: 'form.summary',
  startsAt: 'form.startsAt',
  endsAt: 'form.endsAt',
  timezone: 'form.timezone',
  status: 'audit.field.status',
  access: 'form.legend.access',
  capacity: 'form.capacity',
  seriesId: 'form.series',
  speakers: 'form.legend.speakers',
  language: 'form.language',
  streamUrl: 'form.streamUrl',
  replayUrl: 'form.replayUrl',
  unlisted: 'form.unlisted',
};

const STATUSES = new Set(['scheduled', 'live', 'ended', 'cancelled']);

/** The event an entry is about: its target `event:<id>`, or the `eventId` an invitation records. */
export function auditEventId(entry: AuditEntry): string | null {
  if (entry.target.startsWith('event:')) return entry.target.slice('event:'.length);
  return text(entry.details, 'eventId') ?? null;
}

/** What the person did, as one sentence whose subject is the person in the "who" column. */
export function auditSentence(entry: AuditEntry, i18n: Pick<Translator, 't' | 'list' | 'languageName'>): string {
  const { t } = i18n;
  const d = entry.details;
  const title = text(d, 'title') ?? '';
  const role = (value: unknown): string =>
    t(value === 'moderator' ? 'audit.role.moderator' : value === 'captioner' ? 'audit.role.captioner' : 'audit.role.speaker');
  const reason = (sentence: string): string => {
    const why = text(d, 'reason');
    return why ? `${sentence} ${t('audit.say.reason', { reason: why })}` : sentence;
  };
  const quoted = (key: string): string => {
    const words = text(d, key);
    return words ? t('audit.say.theQuestion', { text: words }) : t('audit.say.aQuestion');
  };
  const author = (): string => {
    const a = d.author;
    return a && typeof a === 'object' && typeof (a as { displayName?: unknown }).displayName === 'string'
      ? (a as { displayName: string }).displayName
      : t('audit.say.someone');
  };

  switch (entry.action) {
    case 'event.create':
      return t('audit.say.eventCreate', { title });
    case 'event.update': {
      const fields = Array.isArray(d.fields) ? d.fields.filter((f): f is string => typeof f === 'string') : [];
      const labels = fields.flatMap((f) => (FIELD_LABELS[f] ? [t(FIELD_LABELS[f])] : []));
      return labels.length > 0
        ? t('audit.say.eventUpdateFields', { title, fields: i18n.list(labels) })
        : t('audit.say.eventUpdate', { title });
    }
    case 'event.cancel':
      return t('audit.say.eventCancel', { title });
    case 'event.delete':
      return t('audit.say.eventDelete', { title });
    case 'event.status': {
      if (d.to === 'live') return t('audit.say.eventLive');
      if (d.to === 'ended') return t('audit.say.eventEnded');
      const status = (s: unknown) => (typeof s === 'string' && STATUSES.has(s) ? t(`status.${s}` as StringKey) : '?');
      return t('audit.say.eventStatus', { from: status(d.from), to: status(d.to) });
    }
    case 'series.create':
      return t('audit.say.seriesCreate', { title });
    case 'series.update':
      return t('audit.say.seriesUpdate', { title });
    case 'series.delete':
      return t('audit.say.seriesDelete', { title });
    case 'invite.create':
      return t('audit.say.inviteCreate', { role: role(d.role) });
    case 'invite.revoke':
      return t('audit.say.inviteRevoke', { role: role(d.role) });
    case 'role.grant':
      return t(d.newAccount === true ? 'audit.say.roleGrantNew' : 'audit.say.roleGrant', { role: role(d.role) });
    case 'role.revoke':
      return t('audit.say.roleRevoke', { role: role(d.role), name: text(d, 'displayName') ?? t('audit.say.someone') });
    case 'account.password':
      return t('audit.say.password');
    case 'admin.setup':
      return t('audit.say.adminSetup', { email: text(d, 'email') ?? '' });
    case 'admin.create':
      return t('audit.say.adminCreate', { email: text(d, 'email') ?? '' });
    case 'question.moderate':
      return questionSentence(d, t, quoted);
    case 'chat.delete':
      return t('audit.say.chatDelete', { author: author(), text: text(d, 'text') ?? '' });
    case 'chat.review':
      return t(d.approve === true ? 'audit.say.chatApprove' : 'audit.say.chatDiscard', { author: author(), text: text(d, 'text') ?? '' });
    case 'moderation.timeout':
      return reason(
        typeof d.minutes === 'number'
          ? t('audit.say.timeout', { name: text(d, 'displayName') ?? t('audit.say.someone'), minutes: d.minutes })
          : t('audit.say.timeoutNoLength', { name: text(d, 'displayName') ?? t('audit.say.someone') }),
      );
    case 'moderation.ban':
      return reason(t('audit.say.ban', { name: text(d, 'displayName') ?? t('audit.say.someone') }));
    case 'moderation.lift':
      return t('audit.say.lift', { name: text(d, 'displayName') ?? t('audit.say.someone') });
    case 'room.configure':
      return roomSentence(d, i18n);
    case 'backstage.note':
      return t('audit.say.note', { text: text(d, 'text') ?? '' });
    case 'poll.create':
      return t('audit.say.pollCreate', { question: text(d, 'question') ?? '' });
    case 'poll.open':
      return t('audit.say.pollOpen', { question: text(d, 'question') ?? '' });
    case 'poll.close':
      return t('audit.say.pollClose', { question: text(d, 'question') ?? '' });
    case 'poll.delete':
      return t('audit.say.pollDelete', { question: text(d, 'question') ?? '' });
    case 'registration.desk':
      return t('audit.say.registrationDesk');
    case 'registration.cancel':
      return t('audit.say.registrationCancel');
    case 'registration.promote':
      return t('audit.say.registrationPromote');
    case 'registration.attendance':
      return t(d.attended === false ? 'audit.say.attendanceOff' : 'audit.say.attendanceOn');
    case 'registration.email':
      return t('audit.say.registrationEmail', {
        recipients: typeof d.recipients === 'number' ? d.recipients : 0,
        subject: text(d, 'subject') ?? '',
      });
    case 'registration.settings':
      return t('audit.say.registrationSettings');
    case 'replay.settings':
      return replaySentence(d, title, i18n);
    case 'replay.thumbnails':
      return t('audit.say.replayThumbnails', { title });
    case 'replay.thumbnail':
      return t('audit.say.replayThumbnail', { title });
    case 'replay.talk-starts':
      return t('audit.say.talkStarts');
    case 'ingest.rotate':
      return t('audit.say.ingestRotate');
    case 'captions.rotate':
      return t('audit.say.captionsRotate');
    case 'caption.edit':
    case 'caption.delete':
      return captionSentence(entry.action, d, i18n);
    default:
      return t('audit.say.unknown', { action: entry.action });
  }
}

function questionSentence(d: Details, t: Translator['t'], quoted: (key: string) => string): string {
  const question = quoted('question');
  switch (d.action) {
    case 'approve':
      return t('audit.say.questionApprove', { question });
    case 'reject': {
      const why = text(d, 'reason');
      return why ? t('audit.say.questionRejectWhy', { question, reason: why }) : t('audit.say.questionReject', { question });
    }
    case 'live':
      return t('audit.say.questionLive', { question });
    case 'answered':
      return t('audit.say.questionAnswered', { question });
    case 'merge':
      return t('audit.say.questionMerge', { question, into: quoted('intoQuestion') });
    case 'edit':
      return t('audit.say.questionEdit', { text: text(d, 'text') ?? '' });
    case 'star':
      return t(d.starred === false ? 'audit.say.questionUnstar' : 'audit.say.questionStar', { question });
    case 'reorder':
      return t('audit.say.questionReorder', { question });
    default:
      return t('audit.say.questionOther', { question });
  }
}

/**
 * An admin's correction or removal of a caption line: its language in words, and its text when recorded (an edit of
 * the timings alone has none, nor has a removal recorded before the text was).
 */
function captionSentence(action: 'caption.edit' | 'caption.delete', d: Details, i18n: Pick<Translator, 't' | 'languageName'>): string {
  const { t } = i18n;
  const lang = text(d, 'lang');
  const language = lang ? i18n.languageName(lang) : '?';
  const words = text(d, 'text');
  if (action === 'caption.edit') return words ? t('audit.say.captionEdit', { language, text: words }) : t('audit.say.captionRetime', { language });
  return words ? t('audit.say.captionDelete', { language, text: words }) : t('audit.say.captionDeleteNoText', { language });
}

/** What a `PUT …/replay` changed: only the fields the admin sent are in the details. */
function replaySentence(d: Details, title: string, i18n: Pick<Translator, 't' | 'list'>): string {
  const { t } = i18n;
  const changes: string[] = [];
  if (typeof d.published === 'boolean') changes.push(t(d.published ? 'audit.replay.published' : 'audit.replay.unpublished'));
  if (typeof d.trimIn === 'number') changes.push(t('audit.replay.trimIn', { position: formatPosition(d.trimIn) }));
  else if (d.trimIn === null) changes.push(t('audit.replay.trimInOff'));
  if (typeof d.trimOut === 'number') changes.push(t('audit.replay.trimOut', { position: formatPosition(d.trimOut) }));
  else if (d.trimOut === null) changes.push(t('audit.replay.trimOutOff'));
  if (d.filmRights === 'live-only') changes.push(t('audit.replay.filmLiveOnly'));
  else if (d.filmRights === 'replay') changes.push(t('audit.replay.filmReplay'));
  return changes.length > 0
    ? t('audit.say.replaySettings', { title, changes: i18n.list(changes) })
    : t('audit.say.replaySettingsNone', { title });
}

function roomSentence(d: Details, i18n: Pick<Translator, 't' | 'list'>): string {
  const { t } = i18n;
  const changes: string[] = [];
  if (typeof d.slowModeSeconds === 'number') {
    changes.push(d.slowModeSeconds > 0 ? t('audit.room.slowMode', { seconds: d.slowModeSeconds }) : t('audit.room.slowModeOff'));
  }
  if (typeof d.preModeration === 'boolean') changes.push(t(d.preModeration ? 'audit.room.preModerationOn' : 'audit.room.preModerationOff'));
  if (typeof d.pinned === 'string') changes.push(t('audit.room.pinned', { text: d.pinned }));
  else if (d.pinned === null) changes.push(t('audit.room.unpinned'));
  if (Array.isArray(d.wordFilter)) {
    const words = d.wordFilter.filter((w): w is string => typeof w === 'string');
    changes.push(words.length > 0 ? t('audit.room.wordFilter', { words: words.join(', ') }) : t('audit.room.wordFilterOff'));
  }
  return changes.length > 0 ? t('audit.say.room', { changes: i18n.list(changes) }) : t('audit.say.roomUnchanged');
}

/*
 * How much a person may type, in one place. The zod schemas of `shared/` (which the server applies) and the client's
 * `maxlength` attributes, counters and messages all read these, so a limit changed here changes on both sides at once.
 * Lengths count UTF-16 code units, as `String.length` and the `maxlength` attribute both do.
 */

/** A display name (guests, staff accounts, invitations). */
export const DISPLAY_NAME_MAX_LENGTH = 40;

/** A chat message. */
export const CHAT_MAX_LENGTH = 500;
/** A question, as asked or as a moderator corrects it. */
export const QUESTION_MAX_LENGTH = 300;
/** Why a moderator rejected a question: the asker reads it. */
export const REJECT_REASON_MAX_LENGTH = 300;
/** Why a moderator timed someone out or banned them. */
export const SANCTION_REASON_MAX_LENGTH = 300;
/** The moderators' pinned announcement above the chat. */
export const PINNED_MAX_LENGTH = 300;
/** A backstage note from the moderators to the speakers. */
export const BACKSTAGE_NOTE_MAX_LENGTH = 500;
/** The word filter: this many entries, each at most this long. */
export const WORD_FILTER_MAX_ENTRIES = 200;
export const WORD_FILTER_MAX_LENGTH = 60;

/** A poll's question and its options, and how many options it has. */
export const POLL_QUESTION_MAX_LENGTH = 200;
export const POLL_OPTION_MAX_LENGTH = 100;
export const POLL_MIN_OPTIONS = 2;
export const POLL_MAX_OPTIONS = 10;

/** An event's or a series' title and summary. */
export const TITLE_MAX_LENGTH = 200;
export const SUMMARY_MAX_LENGTH = 4000;
/** A speaker's name and what they are introduced as, and how many speakers an event lists. */
export const SPEAKER_NAME_MAX_LENGTH = 120;
export const SPEAKER_TITLE_MAX_LENGTH = 200;
export const SPEAKERS_MAX = 30;

/** A staff account's email address (RFC 5321's limit) and password. */
export const EMAIL_MAX_LENGTH = 254;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** Sign-up: a registrant's full name and phone number (desk registrations). */
export const PERSON_NAME_MAX_LENGTH = 80;
export const PHONE_MAX_LENGTH = 40;
/** Sign-up forms: at most this many questions a librarian adds, their labels, choices and answers. */
export const FORM_QUESTIONS_MAX = 5;
export const FORM_LABEL_MAX_LENGTH = 200;
export const FORM_OPTIONS_MAX = 12;
export const FORM_OPTION_MAX_LENGTH = 100;
export const FORM_ANSWER_MAX_LENGTH = 500;
/** Dates of a series a person may pick in one form. */
export const SERIES_PICK_MAX = 60;
/** The longest delay behind the live a heartbeat may report: beyond an hour it is a clock gone wrong, not a delay. */
export const HEARTBEAT_MAX_DELAY_MS = 3_600_000;

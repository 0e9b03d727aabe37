import type { AuditEntry } from '#shared/domain/account';
import { describe, expect, it } from 'vitest';
import { testTranslator } from '../../i18n/test-translator';
import { auditEventId, auditSentence } from './audit-text';

const fr = testTranslator('fr');
const en = testTranslator('en');

const entry = (action: string, details: Record<string, unknown>, target = 'event:rencontre-bd'): AuditEntry => ({
  id: 'a1',
  at: '2026-11-25T18:00:00.000Z',
  actor: { id: 'acct_1', displayName: 'Adèle' },
  action,
  target,
  details,
});

describe('the audit log in sentences', () => {
  it('says which question a moderator acted on, in words, in both languages', () => {
    const approved = entry('question.moderate', { questionId: 'd5fe0c1e', question: 'Comment choisissez-vous vos couleurs ?', action: 'approve' });
    expect(auditSentence(approved, fr)).toBe('A approuvé la question « Comment choisissez-vous vos couleurs ? ».');
    expect(auditSentence(approved, en)).toBe('Approved the question “Comment choisissez-vous vos couleurs ?”.');
    const rejected = entry('question.moderate', { questionId: 'x', question: 'Hors sujet', action: 'reject', reason: 'Hors sujet.' });
    expect(auditSentence(rejected, fr)).toBe('A refusé la question « Hors sujet ». Motif : Hors sujet.');
  });

  it('never shows an id or JSON, even for entries recorded before the question text was', () => {
    const old = entry('question.moderate', { questionId: 'd5fe0c1e-1111-2222', action: 'live' });
    const sentence = auditSentence(old, fr);
    expect(sentence).toBe("A mis à l'écran une question.");
    expect(sentence).not.toMatch(/d5fe|questionId|[{}"]/);
  });

  it('tells the room settings that changed as a list', () => {
    const configured = entry('room.configure', { slowModeSeconds: 30, preModeration: true, pinned: null });
    expect(auditSentence(configured, fr)).toBe(
      'A changé les réglages de la salle : mode lent à 30 s, questions relues avant publication et annonce retirée.',
    );
    expect(auditSentence(configured, en)).toBe(
      'Changed the room settings: slow mode at 30 s, questions reviewed before they are shown, and announcement removed.',
    );
  });

  it('names the fields of an event that an admin edited with the labels of the form', () => {
    const edited = entry('event.update', { title: 'Rencontre BD', fields: ['title', 'startsAt', 'unlisted'] });
    expect(auditSentence(edited, fr)).toBe("A modifié l'événement « Rencontre BD » : Titre, Début et Ne pas afficher dans le programme public.");
  });

  it('says what librarians did with the registrants, without naming them', () => {
    expect(auditSentence(entry('registration.desk', { title: 'Atelier', registrationId: 'r1' }), fr)).toBe(
      'A inscrit une personne à l’accueil.',
    );
    expect(auditSentence(entry('registration.promote', { registrationId: 'r1' }), en)).toBe('Gave a seat to someone on the waiting list.');
    expect(auditSentence(entry('registration.attendance', { registrationId: 'r1', attended: false }), en)).toBe(
      'Unmarked a registrant’s attendance.',
    );
    const emailed = entry('registration.email', { title: 'Atelier', subject: 'Salle changée', recipients: 7 });
    expect(auditSentence(emailed, fr)).toBe('A écrit aux personnes inscrites (7) : « Salle changée ».');
    expect(auditSentence(emailed, en)).toBe('Emailed the registrants (7): “Salle changée”.');
  });

  it('says going live and ending in plain words', () => {
    expect(auditSentence(entry('event.status', { from: 'scheduled', to: 'live' }), fr)).toBe('A lancé le direct.');
    expect(auditSentence(entry('event.status', { from: 'live', to: 'ended' }), en)).toBe('Ended the event.');
  });

  it('names the people a moderator sanctioned, and why', () => {
    const timeout = entry('moderation.timeout', { userId: 'guest_1', displayName: 'Troll', minutes: 10, reason: 'insultes' });
    expect(auditSentence(timeout, fr)).toBe('A mis Troll en pause dans la discussion pendant 10 min. Motif : insultes.');
    const revoked = entry('role.revoke', { userId: 'acct_2', displayName: 'Mona', role: 'moderator' });
    expect(auditSentence(revoked, en)).toBe('Took the moderator role away from Mona.');
  });

  it('tells what an admin did to a replay, and a moderator to a film, in both languages', () => {
    const trimmed = entry('replay.settings', { title: 'Ciné-club', trimIn: 75.5, trimOut: null, published: false });
    expect(auditSentence(trimmed, fr)).toBe('A modifié le replay de « Ciné-club » : retiré du public, début à 1:15.5 et sans coupe à la fin.');
    expect(auditSentence(entry('replay.settings', { title: 'Ciné-club', filmRights: 'live-only' }), en)).toBe(
      'Changed the replay of “Ciné-club”: film for the live only.',
    );
    expect(auditSentence(entry('replay.thumbnail', { title: 'Ciné-club', file: '754.jpg' }), fr)).toBe(
      'A choisi l’image de « Ciné-club » dans le programme.',
    );
    expect(auditSentence(entry('replay.talk-starts', { title: 'Ciné-club', at: '2026-11-25T19:42:00.000Z' }), en)).toBe(
      'Marked the end of the film and the start of the talk.',
    );
  });

  it('tells the caption URL and stream key replaced, and caption lines corrected or removed with their language and words', () => {
    expect(auditSentence(entry('captions.rotate', {}), fr)).toBe('A remplacé l’adresse des sous-titres ; l’ancienne ne fonctionne plus.');
    expect(auditSentence(entry('captions.rotate', {}), en)).toBe('Replaced the caption URL; the old one no longer works.');
    expect(auditSentence(entry('ingest.rotate', {}), en)).toBe('Made a new stream key; the old one no longer works.');
    const corrected = entry('caption.edit', { cueId: 'c1', lang: 'fr', text: 'Bienvenue à la médiathèque' });
    expect(auditSentence(corrected, fr)).toBe('A corrigé une ligne de sous-titres (français) : « Bienvenue à la médiathèque ».');
    expect(auditSentence(corrected, en)).toBe('Corrected a caption line (French): “Bienvenue à la médiathèque”.');
    // Only the timings changed: no text in the details, and no id in the sentence.
    const retimed = entry('caption.edit', { cueId: 'c1', lang: 'en' });
    expect(auditSentence(retimed, fr)).toBe('A modifié le minutage d’une ligne de sous-titres (anglais).');
    expect(auditSentence(retimed, en)).toBe('Changed the timing of a caption line (English).');
    const removed = entry('caption.delete', { cueId: 'c2', lang: 'fr', text: 'euh…' });
    expect(auditSentence(removed, fr)).toBe('A supprimé une ligne de sous-titres (français) : « euh… ».');
    expect(auditSentence(entry('caption.delete', { cueId: 'c2', lang: 'fr' }), en)).toBe('Deleted a caption line (French).');
    for (const e of [corrected, retimed, removed]) expect(auditSentence(e, en)).not.toMatch(/c1|c2|cueId|caption\./);
  });

  it('names an action it does not know without dumping its details', () => {
    expect(auditSentence(entry('captions.upload', { fileId: 'f1', bytes: 1234 }), fr)).toBe('Action « captions.upload ».');
  });

  it('finds the event of an entry in its target or, for an invitation, in its details', () => {
    expect(auditEventId(entry('event.create', { title: 'x' }))).toBe('rencontre-bd');
    expect(auditEventId(entry('invite.create', { eventId: 'atelier', role: 'speaker' }, 'invite:i1'))).toBe('atelier');
    expect(auditEventId(entry('account.password', {}, 'account:acct_1'))).toBeNull();
  });
});

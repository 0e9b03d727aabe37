import type { ChatAuthor } from '#shared/domain/chat';
import type { QuestionAuthor } from '#shared/domain/question';
import type { PollRecord } from '../../store/poll-store';
import type { Store } from '../../store/store';

/** The demo's live event: an interview with a comic-book author, whose room the demo fills with an audience. */
export const DEMO_LIVE_EVENT_ID = 'rencontre-bd-marie-lenoir';

const MINUTE = 60_000;

/** Demo people. Their ids look like guests' (`guest_…`) but can never collide with a real one (`guest_<uuid>`). */
const person = (slug: string, displayName: string): ChatAuthor & QuestionAuthor => ({
  id: `guest_demo-${slug}`,
  displayName,
  role: 'guest',
});
const LEA = person('lea', 'Léa M.');
const THOMAS = person('thomas', 'Thomas');
const INES = person('ines', 'Inès B.');
const HUGO = person('hugo', 'Hugo');
const CAMILLE = person('camille', 'Camille R.');
const JULIEN = person('julien', 'Julien');
const SOPHIE = person('sophie', 'Sophie D.');
const MARC = person('marc', 'Marc');

/** The first `count` of a pool of demo voters, all distinct; votes only count once per person anyway. */
const voters = (count: number): string[] => Array.from({ length: count }, (_, i) => `guest_demo-voter-${i + 1}`);

const MODERATORS = 'Équipe de la bibliothèque';

interface DemoQuestion {
  clientId: string;
  author: QuestionAuthor;
  text: string;
  anonymous?: boolean;
  askedMinutesAgo: number;
  /** For the live and the answered question: when it went live (the answered one until the live one took over). */
  liveMinutesAgo?: number;
  /** pending: waits for a moderator; live: "now answering"; answered: was live before it. */
  state: 'pending' | 'approved' | 'live' | 'answered';
  votes: number;
  starred?: boolean;
  /** Asked from the auditorium's phone page (the demo's talk is hybrid); absent: online. */
  origin?: 'room';
}

const QUESTIONS: DemoQuestion[] = [
  {
    clientId: 'demo-question-1',
    author: LEA,
    text: 'Comment êtes-vous passée de vos carnets de croquis à votre premier album ? Vous avez tout de suite su que ce serait une BD ?',
    askedMinutesAgo: 24,
    liveMinutesAgo: 14,
    state: 'answered',
    votes: 7,
  },
  {
    clientId: 'demo-question-2',
    author: THOMAS,
    text: 'Combien de temps vous faut-il pour réaliser un album, du scénario à la mise en couleur ?',
    askedMinutesAgo: 19,
    liveMinutesAgo: 4,
    state: 'live',
    votes: 9,
  },
  {
    clientId: 'demo-question-3',
    author: INES,
    text: 'Dessinez-vous encore sur papier, ou êtes-vous passée à la tablette graphique ?',
    askedMinutesAgo: 15,
    state: 'approved',
    votes: 5,
    starred: true,
    origin: 'room',
  },
  {
    clientId: 'demo-question-4',
    author: HUGO,
    text: 'Vous arrive-t-il d’avoir peur de la page blanche ? Comment vous en sortez-vous ?',
    anonymous: true,
    askedMinutesAgo: 11,
    state: 'approved',
    votes: 3,
  },
  {
    clientId: 'demo-question-5',
    author: CAMILLE,
    text: 'Quels auteurs ou autrices vous ont donné envie de faire de la bande dessinée ?',
    askedMinutesAgo: 8,
    state: 'approved',
    votes: 2,
  },
  {
    clientId: 'demo-question-6',
    author: JULIEN,
    text: 'Y aura-t-il une suite à votre dernier album ? J’aimerais tellement savoir ce que devient Jeanne !',
    askedMinutesAgo: 2,
    state: 'pending',
    votes: 0,
    origin: 'room',
  },
];

const CHAT: { clientId: string; author: ChatAuthor; text: string; minutesAgo: number }[] = [
  {
    clientId: 'demo-chat-1',
    author: SOPHIE,
    text: 'Bonjour à toutes et à tous, ravie de pouvoir suivre la rencontre à distance !',
    minutesAgo: 21,
  },
  {
    clientId: 'demo-chat-2',
    author: MARC,
    text: 'J’ai découvert Marie Lenoir grâce au club BD de la médiathèque, trop content de l’entendre en direct.',
    minutesAgo: 17,
  },
  {
    clientId: 'demo-chat-3',
    author: LEA,
    text: 'Le passage sur ses carnets de croquis était passionnant, merci d’avoir répondu à ma question !',
    minutesAgo: 3,
  },
];

const PINNED =
  'Bienvenue ! La rencontre sera disponible en replay sur cette page dès demain. Posez vos questions dans l’onglet ' +
  '« Questions » et votez pour celles qui vous intéressent : Marie Lenoir y répond en direct.';

interface DemoPoll {
  question: string;
  options: string[];
  state: 'open' | 'closed';
  openedMinutesAgo: number;
  closedMinutesAgo?: number;
  /** Votes per option, in the order of `options`; each vote from another demo voter. */
  ballots: number[];
}

const POLLS: DemoPoll[] = [
  {
    question: 'Comment avez-vous découvert le travail de Marie Lenoir ?',
    options: ['À la bibliothèque', 'En librairie', 'Par le bouche-à-oreille', 'Sur les réseaux sociaux'],
    state: 'closed',
    openedMinutesAgo: 18,
    closedMinutesAgo: 12,
    ballots: [6, 3, 3, 2],
  },
  {
    question: 'Quel atelier BD aimeriez-vous suivre à la médiathèque après la rencontre ?',
    options: ['Initiation au storyboard', 'La mise en couleur', 'Créer son fanzine', 'Le dessin sur le vif'],
    state: 'open',
    openedMinutesAgo: 3,
    ballots: [3, 2, 2, 1],
  },
];

/**
 * Fills the demo's live event with a room in full swing: questions in every state (approved with votes, one live, one
 * answered, one pending), a pinned announcement, a closed poll with its results, an open poll with live results, and
 * a few chat messages. Only the demo calls it.
 *
 * Idempotent, so that a restart or a rebase adds nothing twice: questions are keyed by their author and clientId,
 * votes count once per person, polls are recognised by their question, state changes only move forward, messages go
 * into an empty chat only, a question goes on air only when none is, and an announcement is pinned only when none
 * is. What moderators and visitors did since (a question rejected, a poll closed, the announcement changed) is left
 * as it is.
 */
export async function seedDemoRoom(store: Store, now: Date): Promise<void> {
  const eventId = DEMO_LIVE_EVENT_ID;
  if (!(await store.programme.getEvent(eventId))) return;
  const t = now.getTime();
  const at = (minutesAgo: number) => new Date(t - minutesAgo * MINUTE).toISOString();

  // Into an empty chat only: after visitors' messages (a demo rebased after a while), older ones would read oddly.
  if ((await store.chat.lastOffset(eventId)) === 0) {
    for (const m of CHAT) {
      await store.chat.append({ eventId, author: m.author, text: m.text, clientId: m.clientId, sentAt: at(m.minutesAgo) });
    }
  }

  const ids = new Map<DemoQuestion, string>();
  for (const q of QUESTIONS) {
    const { question } = await store.questions.ask({
      eventId,
      text: q.text,
      anonymous: q.anonymous ?? false,
      author: { id: q.author.id, displayName: q.author.displayName },
      clientId: q.clientId,
      state: q.state === 'pending' ? 'pending' : 'approved',
      createdAt: at(q.askedMinutesAgo),
      origin: q.origin ?? 'online',
    });
    ids.set(q, question.id);
    for (const voter of voters(q.votes)) await store.questions.vote(eventId, question.id, voter, true);
    if (q.starred) await store.questions.update(eventId, question.id, { starred: true });
  }
  // The answered question was live first: setting the next one live moves it to answered, as a moderator's would.
  // A question already on air (a visitor's, or the demo's own) keeps its place.
  if (!(await store.questions.list(eventId)).some((q) => q.state === 'live')) {
    for (const state of ['answered', 'live'] as const) {
      const q = QUESTIONS.find((d) => d.state === state)!;
      await store.questions.setState(eventId, ids.get(q)!, { to: 'live', from: ['approved'], at: at(q.liveMinutesAgo!) });
    }
  }

  const settings = await store.moderation.getSettings(eventId);
  if (settings.pinned === null) {
    await store.moderation.updateSettings(eventId, { pinned: { text: PINNED, by: MODERATORS, at: at(22) } });
  }

  const existing = await store.polls.listPolls(eventId);
  for (const p of POLLS) {
    const poll: PollRecord =
      existing.find((e) => e.question === p.question) ??
      (await store.polls.createPoll({
        eventId,
        question: p.question,
        options: p.options.map((text, i) => ({ id: `o${i + 1}`, text })),
        multiple: false,
        results: 'live',
        createdAt: at(30),
      }));
    await store.polls.setPollState(eventId, poll.id, { to: 'open', from: 'draft', at: at(p.openedMinutesAgo) });
    const choices = p.ballots.flatMap((count, i) => Array.from({ length: count }, () => `o${i + 1}`));
    for (const [n, voter] of voters(choices.length).entries()) {
      await store.polls.votePoll(eventId, poll.id, voter, [choices[n]!]);
    }
    if (p.state === 'closed') {
      await store.polls.setPollState(eventId, poll.id, { to: 'closed', from: 'open', at: at(p.closedMinutesAgo!) });
    }
  }
}

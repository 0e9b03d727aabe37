/**
 * French strings: the reference catalogue. Every other language must provide exactly these keys (see `Messages`).
 * `{name}` placeholders are filled by `t()`; plural entries are keyed by `Intl.PluralRules` categories.
 */
export const fr = {
  'app.name': 'Parvis',
  'app.tagline': 'Les rendez-vous en ligne de la bibliothèque',
  'app.skipToContent': 'Aller au contenu',
  'app.mainNav': 'Navigation principale',
  'app.nav.programme': 'Programme',
  'app.switchLanguage': 'English',
  'app.footer': 'Parvis — logiciel libre pour les bibliothèques et lieux culturels.',
  'app.notFound.title': 'Page introuvable',
  'app.notFound.body': 'Cette adresse ne correspond à aucune page.',
  'app.backToProgramme': 'Retour au programme',
  'app.retry': 'Réessayer',
  'app.error.network': 'Le serveur est injoignable. Vérifiez votre connexion.',
  'app.error.generic': 'Une erreur est survenue.',
  'app.error.rateLimited': 'Trop de demandes : réessayez dans {seconds} s.',

  'kind.all': 'Tous',
  'kind.lecture': 'Rencontres',
  'kind.cine_conference': 'Ciné-conférences',
  'kind.webinar': 'Webinaires',
  'kind.workshop': 'Ateliers',
  'kindOne.lecture': 'Rencontre',
  'kindOne.cine_conference': 'Ciné-conférence',
  'kindOne.webinar': 'Webinaire',
  'kindOne.workshop': 'Atelier',

  'status.live': 'En direct',
  'status.cancelled': 'Annulé',

  'access.registration': 'Sur inscription',
  'access.invite': 'Sur invitation',

  'programme.title': 'Programme',
  'programme.intro': 'Rencontres, ciné-conférences, webinaires et ateliers : en direct, puis en replay.',
  'programme.filterLabel': "Type d'événement",
  'programme.live': 'En direct',
  'programme.upcoming': 'À venir',
  'programme.replays': 'Replays',
  'programme.emptyLive': 'Aucun événement en direct pour le moment.',
  'programme.emptyUpcoming': 'Aucun événement à venir pour le moment.',
  'programme.emptyReplays': 'Aucun replay disponible pour le moment.',
  'programme.loading': 'Chargement du programme…',
  'programme.error': 'Impossible de charger le programme.',
  'programme.withSpeakers': 'Avec {names}',
  'programme.localTime': '{time} à votre heure',

  'event.loading': "Chargement de l'événement…",
  'event.notFound.title': 'Événement introuvable',
  'event.notFound.body': "Cet événement n'existe pas ou n'est plus au programme.",
  'event.error': "Impossible de charger l'événement.",
  'event.about': 'À propos',
  'event.speakers': 'Intervenants',
  'event.videoRegion': 'Vidéo',
  'event.startingSoon': 'Commence bientôt',
  'event.startsIn': 'Début dans',
  'event.startingNow': "L'événement va commencer d'un instant à l'autre.",
  'event.ended': 'Terminé',
  'event.noReplay': 'Pas de replay pour cet événement.',
  'event.replay': 'Replay',
  'event.cancelled': 'Annulé',
  'event.cancelledBody': "Cet événement est annulé. Retrouvez d'autres rendez-vous au programme.",
  'event.noStream': 'Le direct va commencer. La vidéo apparaîtra ici.',
  'event.localTime': 'À votre heure : {time}',

  'countdown.days': '{n} j',
  'countdown.hours': '{n} h',
  'countdown.minutes': '{n} min',
  'countdown.seconds': '{n} s',

  'player.video': 'Vidéo : {title}',
  'player.backToLive': 'Revenir au direct',
  'player.unmute': 'Activer le son',
  'player.loading': 'Chargement de la vidéo…',
  'player.error': 'La vidéo ne peut pas être lue pour le moment.',
  'player.unsupported': 'Votre navigateur ne peut pas lire cette vidéo.',
  'player.retry': 'Relancer la vidéo',
  'player.behindLive': 'En différé',

  'chat.title': 'Discussion',
  'chat.logLabel': 'Messages de la discussion',
  'chat.empty': 'Pas encore de messages. Lancez la discussion !',
  'chat.connecting': 'Connexion à la discussion…',
  'chat.reconnecting': 'Reconnexion…',
  'chat.registrationRequired': 'Inscription requise',
  'chat.registrationRequiredBody':
    'Cet événement est réservé aux personnes inscrites. Les inscriptions en ligne arrivent bientôt.',
  'chat.inviteRequired': 'Invitation requise',
  'chat.inviteRequiredBody': 'Cet événement est réservé aux personnes invitées.',
  'chat.unavailable': 'La discussion est indisponible pour le moment.',
  'chat.nameLabel': 'Votre nom',
  'chat.nameHint': 'Il sera affiché à côté de vos messages (40 caractères au plus).',
  'chat.join': 'Rejoindre la discussion',
  'chat.nameInvalid': 'Indiquez un nom de 1 à 40 caractères.',
  'chat.messageLabel': 'Message',
  'chat.messageHint': 'Entrée pour envoyer, Maj+Entrée pour aller à la ligne.',
  'chat.send': 'Envoyer',
  'chat.signedInAs': 'Vous discutez en tant que {name}.',
  'chat.changeName': 'Changer de nom',
  'chat.rateLimited': 'Vous envoyez trop vite : patientez {seconds} s.',
  'chat.sendFailed': "Le message n'a pas pu être envoyé. Réessayez.",
  'chat.offline': 'Connexion perdue : votre message sera envoyé quand vous réessaierez.',
  'chat.sessionExpired': 'Votre session a expiré : choisissez à nouveau un nom.',
  'chat.tooLong': 'Votre message dépasse {max} caractères.',
  'chat.forbidden': "Vous ne pouvez pas écrire dans cette discussion.",
  'chat.newMessages': 'Nouveaux messages',
  'chat.you': 'vous',
  'chat.charsLeft': '{n} caractères restants',

  'role.moderator': 'modération',
  'role.speaker': 'intervenant·e',
  'role.admin': 'équipe',

  viewers: { one: '{count} spectateur', other: '{count} spectateurs' },
} as const;

type Catalogue = typeof fr;

/** Plural forms of one entry, keyed by `Intl.PluralRules` category; `other` is required. */
export interface PluralForms {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

/** The shape every language file satisfies: same keys as French, strings where French has strings. */
export type Messages = {
  [K in keyof Catalogue]: Catalogue[K] extends string ? string : PluralForms;
};

export type StringKey = {
  [K in keyof Catalogue]: Catalogue[K] extends string ? K : never;
}[keyof Catalogue];

export type PluralKey = Exclude<keyof Catalogue, StringKey>;

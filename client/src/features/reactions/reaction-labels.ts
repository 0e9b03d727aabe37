import type { Reaction } from '#shared/domain/moderation';
import type { StringKey } from '../../i18n/fr';

/** The words for each reaction: its button's accessible name. */
export const REACTION_LABEL_KEYS: Record<Reaction, StringKey> = {
  '👏': 'room.reactions.clap',
  '❤️': 'room.reactions.love',
  '😂': 'room.reactions.laugh',
  '😮': 'room.reactions.wow',
  '🤔': 'room.reactions.think',
  '👍': 'room.reactions.agree',
};

/*
 * The watch page's panels, in a chunk of their own (room-panels-loader.ts): the chat, the questions and polls, the
 * reactions, the sign-up and calendar panels, the replay's chapters, chat and transcript, and the staff's tools.
 * The page shows its head and its video without waiting for them.
 */
import '../chat/parvis-chat-panel';
import '../polls/parvis-polls-announcer';
import '../polls/parvis-polls-panel';
import '../questions/parvis-qa-panel';
import '../reactions/parvis-reactions-bar';
import '../reactions/parvis-reactions-overlay';
import '../signup/parvis-add-to-calendar';
import '../signup/parvis-signup-panel';
import '../replay/parvis-replay-chapters';
import '../replay/parvis-replay-chat';
import '../replay/parvis-replay-transcript';
import './parvis-moderator-tools';

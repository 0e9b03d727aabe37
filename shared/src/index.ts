export * from './protocol/errors';
export * from './protocol/ack';
export * from './protocol/payloads';
export * from './protocol/events';
export * from './domain/user';
export * from './domain/event';
export * from './domain/chat';
export * from './domain/question';

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { defineHandlers, socketGateway } from './handler';

const log = pino({ level: 'silent' });

describe('socketGateway', () => {
  it('refuses to start a server that leaves an event of the protocol without a handler', () => {
    const some = defineHandlers(log, (handle) => {
      handle('event:leave', async () => ({}));
    });
    expect(() => socketGateway(log, some)).toThrow(/No socket handler for event:join, chat:send,/);
  });

  it('refuses to start a server that handles an event twice', () => {
    const twice = defineHandlers(log, (handle) => {
      handle('event:leave', async () => ({}));
      handle('event:leave', async () => ({}));
    });
    expect(() => socketGateway(log, twice)).toThrow('Two socket handlers for event:leave');
  });
});

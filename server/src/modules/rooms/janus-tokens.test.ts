import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { renderJanusConfig } from './janus-config';
import { signJanusToken, verifyJanusToken } from './janus-tokens';

describe('Janus signed tokens', () => {
  const at = new Date('2027-03-15T13:00:00.000Z');

  it('is the expiry, the realm, the plugin and the descriptors, signed with HMAC-SHA1 in base64', () => {
    const token = signJanusToken('s3cret', at, ['room=42', 'p=7']);
    const data = '1805115600,janus,janus.plugin.videoroom,room=42,p=7';
    expect(token).toBe(`${data}:${createHmac('sha1', 's3cret').update(data).digest('base64')}`);
    expect(verifyJanusToken('s3cret', token, new Date(at.getTime() - 1000))).toEqual({ descriptors: ['janus.plugin.videoroom', 'room=42', 'p=7'], expiresAt: at });
  });

  it('is refused once expired, with another secret, or altered', () => {
    const token = signJanusToken('s3cret', at, ['room=42']);
    expect(verifyJanusToken('s3cret', token, new Date(at.getTime() + 1000))).toBeUndefined();
    expect(verifyJanusToken('other', token, new Date(0))).toBeUndefined();
    expect(verifyJanusToken('s3cret', token.replace('room=42', 'room=43'), new Date(0))).toBeUndefined();
    expect(() => signJanusToken('s3cret', at, ['a,b'])).toThrow();
  });
});

describe('the generated Janus config and the rooms settings', () => {
  it('binds the WebSocket transport to loopback and carries the UDP range, the NAT address and STUN', () => {
    const files = renderJanusConfig({
      dir: '/data/rooms',
      libDir: '/usr/lib/x86_64-linux-gnu/janus',
      wsPort: 8188,
      rtpPorts: { min: 20000, max: 20199 },
      tokenSecret: 'tok"en',
      adminKey: 'key',
      nat11: '203.0.113.7',
      stun: { host: 'stun.example.org', port: 3478 },
    });
    expect(files['janus.transport.websockets.jcfg']).toContain('ws_ip = "127.0.0.1"');
    expect(files['janus.jcfg']).toContain('rtp_port_range = "20000-20199"');
    expect(files['janus.jcfg']).toContain('nat_1_1_mapping = "203.0.113.7"');
    expect(files['janus.jcfg']).toContain('stun_server = "stun.example.org"');
    expect(files['janus.jcfg']).toContain('token_auth_secret = "tok\\"en"');
    expect(files['janus.plugin.videoroom.jcfg']).toContain('admin_key = "key"');
  });

  it('is off unless ROOMS=janus or JANUS_URL, and JANUS_URL needs its secrets', () => {
    expect(loadConfig({}).rooms.mode).toBe('off');
    expect(loadConfig({ ROOMS: 'janus' }).rooms).toMatchObject({ mode: 'janus', janusPath: '/usr/bin/janus', rtpPorts: { min: 20000, max: 20199 }, leadMinutes: 15 });
    expect(() => loadConfig({ JANUS_URL: 'ws://10.0.0.5:8188' })).toThrow(/JANUS_TOKEN_SECRET/);
    expect(loadConfig({ JANUS_URL: 'ws://10.0.0.5:8188', JANUS_TOKEN_SECRET: 't', JANUS_ADMIN_KEY: 'k' }).rooms.mode).toBe('janus');
    expect(() => loadConfig({ JANUS_RTP_PORTS: '20000' })).toThrow(/JANUS_RTP_PORTS/);
    expect(loadConfig({ TURN_URL: 'turn:turn.example.org:3478', TURN_USERNAME: 'u', TURN_CREDENTIAL: 'c' }).rooms.iceServers).toEqual([
      { urls: 'turn:turn.example.org:3478', username: 'u', credential: 'c' },
    ]);
    expect(loadConfig({ ROOM_ICE_SERVERS: '[{"urls":["stun:stun.example.org"]}]' }).rooms.iceServers).toEqual([{ urls: ['stun:stun.example.org'] }]);
    expect(() => loadConfig({ ROOM_ICE_SERVERS: '{' })).toThrow(/ROOM_ICE_SERVERS/);
    expect(() => loadConfig({ ROOMS: 'zoom' })).toThrow(/ROOMS/);
    expect(loadConfig({ ROOMS: 'livekit', LIVEKIT_URL: 'wss://lk.example.org', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's'.repeat(32) }).rooms).toMatchObject({
      mode: 'livekit',
      livekit: { url: 'wss://lk.example.org' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { ffmpegArguments, parseLadder } from './ladder';
import { renderNginxConfig } from './nginx-config';
import { codecsOf, readProbe } from './probe';
import { HealthMeter, ProgressReader, warningsOf, type HealthFigures } from './stream-health';

describe('the ingest settings', () => {
  it('runs no ingest unless RTMP_PORT is set, and tells OBS the public host by default', () => {
    expect(loadConfig({}).ingest.rtmpPort).toBeUndefined();
    const config = loadConfig({ RTMP_PORT: '1935', PUBLIC_ORIGIN: 'https://events.bibliotheque.example' });
    expect(config.ingest).toMatchObject({
      rtmpPort: 1935,
      host: '0.0.0.0',
      rtmpUrl: 'rtmp://events.bibliotheque.example:1935/live',
      rtmpUrlSet: false,
      keyLeadMinutes: 60,
      keyGraceMinutes: 180,
      reconnectSeconds: 60,
      ladder: ['source', '360p'],
      segmentSeconds: 2,
    });
    expect(loadConfig({ DATA_DIR: '/srv/parvis' }).recordingsDir).toBe('/srv/parvis/media');
    // A web process of a deployment whose ingest runs on a media machine.
    expect(loadConfig({ INGEST_RTMP_URL: 'rtmp://media.bibliotheque.example/live' }).ingest).toMatchObject({
      rtmpPort: undefined,
      rtmpUrl: 'rtmp://media.bibliotheque.example/live',
      rtmpUrlSet: true,
    });
  });

  it('refuses settings that cannot work, naming them', () => {
    expect(() => loadConfig({ INGEST_ONLY: '1' })).toThrow(/INGEST_ONLY.*RTMP_PORT/);
    expect(() => loadConfig({ RTMP_PORT: '1935', INGEST_LADDER: 'source,4k' })).toThrow(/INGEST_LADDER: unknown rendition "4k"/);
    expect(() => loadConfig({ RTMP_PORT: '1935', INGEST_HOOK_SECRET: 'short' })).toThrow(/INGEST_HOOK_SECRET/);
    expect(() => loadConfig({ INGEST_PUBLIC_ORIGIN: 'media.example.org' })).toThrow(/INGEST_PUBLIC_ORIGIN/);
    expect(() => loadConfig({ INGEST_SEGMENT_SECONDS: '0' })).toThrow(/INGEST_SEGMENT_SECONDS/);
  });
});

describe("the ingest's nginx.conf", () => {
  const conf = renderNginxConfig({
    modulePath: '/usr/lib/nginx/modules/ngx_rtmp_module.so',
    host: '0.0.0.0',
    port: 1935,
    hookBase: 'http://127.0.0.1:3000/api/ingest/hooks/nginx',
    hookSecret: 'a-secret-of-enough-length',
    dropIdleSeconds: 10,
  });

  it('listens for OBS, relays without recording, and asks Parvis about every publisher', () => {
    expect(conf).toContain('load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;');
    expect(conf).toContain('listen 0.0.0.0:1935;');
    expect(conf).toMatch(/application live \{[^}]*live on;[^}]*record off;[^}]*idle_streams off;[^}]*drop_idle_publisher 10s;/);
    expect(conf).toContain('on_publish http://127.0.0.1:3000/api/ingest/hooks/nginx/publish?secret=a-secret-of-enough-length;');
    expect(conf).toContain('on_publish_done http://127.0.0.1:3000/api/ingest/hooks/nginx/publish-done?secret=a-secret-of-enough-length;');
  });

  it('runs as whoever runs Parvis, with one worker, its files under its prefix', () => {
    expect(conf).not.toMatch(/^\s*user\s/m);
    expect(conf).toContain('worker_processes 1;');
    expect(conf).toContain('pid nginx.pid;');
    expect(conf).not.toContain('http {');
  });
});

describe("ffmpeg's ladder", () => {
  it('accepts the renditions it knows, once each', () => {
    expect(parseLadder('source, 720p 360p')).toEqual(['source', '720p', '360p']);
    expect(() => parseLadder('')).toThrow(/at least one/);
    expect(() => parseLadder('360p,360p')).toThrow(/twice/);
  });

  it('copies the source, encodes the others with a keyframe every segment, and keeps every segment with its PDT', () => {
    const args = ffmpegArguments({ input: 'rtmp://127.0.0.1:1935/live/key', dir: '/rec/e/sessions/3', ladder: ['source', '360p'], segmentSeconds: 2 }).join(' ');
    expect(args).toContain('-i rtmp://127.0.0.1:1935/live/key');
    expect(args).toContain('-map 0:v:0 -map 0:a:0? -c copy -f hls');
    expect(args).toContain('-force_key_frames expr:gte(t,n_forced*2)');
    expect(args).toContain('scale=-2:360');
    expect(args.match(/-hls_list_size 0/g)).toHaveLength(2);
    expect(args.match(/-hls_flags program_date_time\+independent_segments\+temp_file/g)).toHaveLength(2);
    expect(args).toContain('-hls_segment_filename /rec/e/sessions/3/source_%05d.ts /rec/e/sessions/3/source.m3u8');
    expect(args).toContain('-hls_segment_filename /rec/e/sessions/3/360p_%05d.ts /rec/e/sessions/3/360p.m3u8');
  });
});

describe('the stream health', () => {
  const fine: HealthFigures = {
    connected: true,
    bitrateKbps: 3000,
    fps: 30,
    width: 1280,
    height: 720,
    keyframeIntervalSeconds: 2,
    audio: true,
  };

  it('warns of what will hurt viewers, and of nothing it does not know', () => {
    expect(warningsOf(fine)).toEqual([]);
    expect(
      warningsOf({ ...fine, keyframeIntervalSeconds: 10, bitrateKbps: 300, fps: 15, height: 360, audio: false }),
    ).toEqual(['keyframe-interval', 'bitrate-low', 'fps-low', 'resolution-low', 'no-audio']);
    expect(warningsOf({ ...fine, bitrateKbps: 12_000, keyframeIntervalSeconds: 4 })).toEqual(['bitrate-high']);
    expect(
      warningsOf({ connected: true, bitrateKbps: null, fps: null, width: null, height: null, keyframeIntervalSeconds: null, audio: null }),
    ).toEqual([]);
  });

  it("reads the source's frame rate from ffmpeg's progress in media time, however fast ffmpeg catches up", () => {
    let now = 0;
    const progress = new ProgressReader(() => now);
    const block = (frame: number, seconds: number) => `frame=${frame}\nfps=99.0\nout_time_us=${seconds * 1_000_000}\nprogress=continue\n`;
    progress.push(block(0, 0));
    expect(progress.fps()).toBeNull();
    // A block split across two chunks, as pipes deliver them.
    const text = block(50, 2) + block(75, 3);
    progress.push(text.slice(0, 17));
    now = 500;
    progress.push(text.slice(17));
    expect(progress.fps()).toBe(25);
    expect(progress.lastReportAt).toBe(500);
  });

  it('measures the bitrate from the segments and the keyframe interval from their keyframes, across segments', () => {
    const meter = new HealthMeter();
    const probe = (keyframes: number[]) =>
      readProbe({
        streams: [
          { index: 0, codec_type: 'video', codec_name: 'h264', profile: 'High', level: 31, width: 1280, height: 720, avg_frame_rate: '30/1' },
          { index: 1, codec_type: 'audio', codec_name: 'aac', profile: 'LC', sample_rate: '48000', channels: 2 },
        ],
        packets: keyframes.map((t) => ({ stream_index: 0, pts_time: String(t), flags: 'K__' })),
      });
    meter.addSegment(750_000, 2, probe([10]));
    expect(meter.figures(true, null)).toMatchObject({ bitrateKbps: 3000, keyframeIntervalSeconds: null, fps: 30, height: 720, audio: true });
    meter.addSegment(250_000, 2, probe([16]));
    expect(meter.figures(true, 29.97)).toMatchObject({ bitrateKbps: 2000, keyframeIntervalSeconds: 6, fps: 29.97 });
  });

  it('names the codecs of a segment for the master playlist, or leaves them out when unsure', () => {
    const base = { keyframes: [], videoFrames: 0 };
    const video = { codec: 'h264', profile: 'High', level: 31, width: 1280, height: 720, fps: 30 };
    const audio = { codec: 'aac', profile: 'LC', sampleRate: 48000, channels: 2 };
    expect(codecsOf({ ...base, video, audio })).toBe('avc1.64001f,mp4a.40.2');
    expect(codecsOf({ ...base, video: { ...video, profile: 'Main', level: 30 }, audio: null })).toBe('avc1.4d401e');
    expect(codecsOf({ ...base, video: { ...video, codec: 'hevc' }, audio })).toBeUndefined();
  });
});

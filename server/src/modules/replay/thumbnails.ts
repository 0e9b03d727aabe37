import { spawn } from 'node:child_process';
import { rename, rm, stat } from 'node:fs/promises';

/** Takes one frame of a video file into a JPEG. The seam to ffmpeg; tests use the real one. */
export type FrameGrabber = (video: string, seconds: number, jpeg: string) => Promise<void>;

/** The widest a thumbnail is: a programme card's picture, not a poster. */
const THUMBNAIL_WIDTH = 640;

/**
 * Debian's ffmpeg, spawned directly. The seek is an output option: it decodes from the segment's first (key)frame
 * to the instant, which is exact and cheap on a segment of a few seconds (seeking on the input lands on frames that
 * cannot be decoded alone). Written to a temporary name then renamed, so a thumbnail is never seen half-written.
 */
export function ffmpegFrameGrabber(ffmpeg = '/usr/bin/ffmpeg', timeoutMs = 30_000): FrameGrabber {
  return async (video, seconds, jpeg) => {
    const temporary = `${jpeg}.tmp`;
    const args = [
      '-nostdin',
      '-v', 'error',
      '-y',
      '-i', video,
      '-ss', seconds.toFixed(3),
      '-frames:v', '1',
      '-an',
      '-vf', `scale='min(${THUMBNAIL_WIDTH},iw)':-2`,
      '-q:v', '3',
      '-f', 'mjpeg',
      temporary,
    ];
    try {
      await run(ffmpeg, args, timeoutMs);
      // Past the last frame, ffmpeg succeeds with nothing written.
      if ((await stat(temporary)).size === 0) throw new Error(`no frame at ${seconds} s in ${video}`);
      await rename(temporary, jpeg);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  };
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg ${signal ? `was stopped (${signal})` : `exited with ${code}`}: ${stderr.trim()}`));
    });
  });
}

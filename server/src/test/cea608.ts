import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/*
 * A few seconds of video carrying CEA-608 captions inside the H.264 stream, as a caption inserter or OBS with a
 * captions plugin sends them: ffmpeg has no 608 encoder, so the test pattern is encoded without B-frames (so that the
 * captions' order is the frames' order), one A/53 "GA94" SEI message holding a 608 byte pair is put before each
 * picture, and the result is wrapped in FLV, what arrives over RTMP.
 */

/** CEA-608 bytes carry odd parity in their top bit. */
function parity(byte: number): number {
  let ones = 0;
  for (let i = 0; i < 7; i++) ones += (byte >> i) & 1;
  return ones % 2 === 0 ? byte | 0x80 : byte;
}

/** The byte pairs of a pop-on caption showing `text` (uppercase ASCII), control codes sent twice as the standard asks. */
function popOn(text: string): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  const control = (a: number, b: number) => pairs.push([a, b], [a, b]);
  control(0x14, 0x20); // resume caption loading
  control(0x14, 0x2e); // erase non-displayed memory
  control(0x14, 0x70); // row 15, column 0
  for (let i = 0; i < text.length; i += 2) pairs.push([text.charCodeAt(i), i + 1 < text.length ? text.charCodeAt(i + 1) : 0]);
  control(0x14, 0x2f); // end of caption: show it
  return pairs;
}

/** An SEI NAL unit (user data registered by ITU-T T.35, ATSC A/53) carrying one field-1 608 byte pair. */
function seiWith([a, b]: [number, number]): Buffer {
  const ccData = [0xfc, parity(a), parity(b)];
  const payload = [0xb5, 0x00, 0x31, ...Buffer.from('GA94'), 0x03, 0x40 | 1, 0xff, ...ccData, 0xff];
  const rbsp = [0x04, payload.length, ...payload, 0x80];
  const nal = [0x06];
  let zeros = 0;
  for (const byte of rbsp) {
    // Emulation prevention: no 00 00 0x (x ≤ 3) inside a NAL unit.
    if (zeros >= 2 && byte <= 3) {
      nal.push(3);
      zeros = 0;
    }
    nal.push(byte);
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(nal);
}

/** Writes `<dir>/captioned.flv`, 4 s of test pattern whose captions say `text` from about 0.5 s; answers its path. */
export async function makeCaptionedStream(ffmpegPath: string, dir: string, text: string): Promise<string> {
  const raw = join(dir, 'plain.h264');
  await run(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '4',
    '-c:v', 'libx264', '-bf', '0', '-g', '25', '-pix_fmt', 'yuv420p', '-f', 'h264', raw]);
  const stream = await readFile(raw);
  const starts: number[] = [];
  for (let i = 0; i + 3 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  const pairs = popOn(text);
  const out: Buffer[] = [];
  let picture = 0;
  starts.forEach((start, k) => {
    let end = k + 1 < starts.length ? starts[k + 1]! - 3 : stream.length;
    while (end > start && stream[end - 1] === 0) end--;
    const nal = stream.subarray(start, end);
    const type = nal[0]! & 0x1f;
    if (type === 1 || type === 5) {
      // Padding (0x80 0x80) once the caption is out.
      out.push(Buffer.from([0, 0, 0, 1]), seiWith(pairs[picture] ?? [0, 0]));
      picture++;
    }
    out.push(Buffer.from([0, 0, 0, 1]), nal);
  });
  const captioned = join(dir, 'captioned.h264');
  await writeFile(captioned, Buffer.concat(out));
  const flv = join(dir, 'captioned.flv');
  await run(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', '-r', '25', '-i', captioned, '-c:v', 'libx264', '-a53cc', '1', '-f', 'flv', flv]);
  return flv;
}

/** The caption texts ffmpeg decodes from the CEA-608 inside a video file, in order. */
export async function captionsIn(ffmpegPath: string, file: string, dir: string): Promise<string[]> {
  const srt = join(dir, `${Math.random().toString(36).slice(2)}.srt`);
  // The movie filter's path is filter syntax: escape what it would read as separators.
  const escaped = file.replace(/\\/g, '\\\\').replace(/:/g, '\\:').replace(/'/g, "\\'");
  await run(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `movie=${escaped}[out0+subcc]`, '-map', '0:s', srt]);
  return (await readFile(srt, 'utf8'))
    .split(/\r?\n\r?\n/)
    .map((block) => block.split(/\r?\n/).slice(2).join(' ').replace(/<[^>]*>|\{[^}]*\}/g, '').trim())
    .filter(Boolean);
}

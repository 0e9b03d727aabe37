#!/usr/bin/env bash
# Makes the demo HLS recording in media/demo/: a test pattern with a running clock and a beeping 440 Hz tone,
# 20 s long, in two renditions (640x360 and 320x180), 2 s MPEG-TS segments, VOD playlists and a master playlist.
#
# The output is committed, so a fresh clone plays video without ffmpeg. Re-run it only to change the recording:
#   npm run media:demo        (or: bash scripts/make-demo-media.sh [output-dir])
#
# Every segment starts with an IDR frame (forced keyframe every 2 s, no scene-cut keyframes) so the live simulator
# can start a loop on any segment, and both renditions cut at the same instants so a player can switch between them.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="${1:-$repo_root/media/demo}"

duration=20    # seconds
segment=2      # seconds; also the keyframe interval
fps=25

for tool in ffmpeg ffprobe; do
  command -v "$tool" >/dev/null || { echo "make-demo-media: $tool is required (apt-get install ffmpeg)" >&2; exit 1; }
done

# The clock overlay needs ffmpeg's drawtext (libfreetype) and a font. Without them, fall back to testsrc, which
# draws its own seconds counter, so the picture still shows that time moves.
font="$(fc-match -f '%{file}' 'DejaVu Sans Mono:bold' 2>/dev/null || true)"
# (Captured first: with pipefail, 'ffmpeg | grep -q' fails when grep closes the pipe early.)
filters="$(ffmpeg -hide_banner -filters 2>/dev/null || true)"
if [[ -n "$font" && -f "$font" && "$filters" == *" drawtext "* ]]; then
  source_video="testsrc2=size=640x360:rate=$fps:duration=$duration"
  # Backslashes escape ':' inside drawtext options; '\:' in the pts expansion is for the filter-graph parser.
  overlay=",drawtext=fontfile=$font:fontsize=32:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=10:x=(w-text_w)/2:y=h-text_h-30:text='Parvis demo  %{pts\\:hms}'"
else
  source_video="testsrc=size=640x360:rate=$fps:duration=$duration"
  overlay=""
fi

# Build next to the target and swap at the end, so a failed run never leaves a half-written recording behind.
work_dir="$(mktemp -d "$(dirname "$out_dir")/.demo-media.XXXXXX")"
trap 'rm -rf "$work_dir"' EXIT

# bitexact flags and a single x264 thread keep the output byte-for-byte stable between runs on the same ffmpeg,
# so re-running the script does not churn the committed files.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "$source_video" \
  -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=$duration" \
  -filter_complex "[0:v]format=yuv420p${overlay},split=2[v360][vsrc];[vsrc]scale=320:180[v180]" \
  -map '[v360]' -map 1:a -map '[v180]' -map 1:a \
  -c:v libx264 -preset medium -profile:v main -pix_fmt yuv420p -threads 1 \
  -x264-params "scenecut=0:open-gop=0" -g $((segment * fps)) -keyint_min $((segment * fps)) \
  -force_key_frames "expr:gte(t,n_forced*$segment)" \
  -b:v:0 400k -maxrate:v:0 480k -bufsize:v:0 800k -level:v:0 3.0 \
  -b:v:1 150k -maxrate:v:1 180k -bufsize:v:1 300k -level:v:1 2.1 \
  -c:a aac -profile:a aac_low -b:a 64k -ac 1 -ar 48000 \
  -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  -f hls -hls_time "$segment" -hls_playlist_type vod -hls_flags independent_segments \
  -hls_segment_type mpegts -hls_segment_filename "$work_dir/%v_%03d.ts" \
  -master_pl_name master.m3u8 \
  -var_stream_map "v:0,a:0,name:360p v:1,a:1,name:180p" \
  "$work_dir/%v.m3u8"

# Sanity check: both renditions must decode as H.264 + AAC through the master playlist.
codecs="$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$work_dir/master.m3u8" | sort -u | tr '\n' ' ')"
[[ "$codecs" == *h264* && "$codecs" == *aac* ]] || { echo "make-demo-media: unexpected codecs: $codecs" >&2; exit 1; }

rm -rf "$out_dir"
mv "$work_dir" "$out_dir"
chmod 755 "$out_dir"
trap - EXIT

echo "make-demo-media: wrote $(find "$out_dir" -type f | wc -l) files, $(du -sh "$out_dir" | cut -f1) in $out_dir (codecs: $codecs)"

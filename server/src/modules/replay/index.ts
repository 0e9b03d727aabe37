/*
 * The replay (issue 11): from the sessions the transcoder recorded to a VOD replay, its settings and its files.
 * docs/broadcasting.md ("Recording and replay") tells the story; docs/media.md the layout on disk.
 */
export { ReplayService, type ReplayServiceOptions } from './replay.service';
export { replayRoutes } from './replay.routes';
export { replayMediaRouter } from './replay-media';
export { PreviewTokens } from './preview-token';
export { ffmpegFrameGrabber, type FrameGrabber } from './thumbnails';
export { diskUsage, recordingPaths } from './recordings';

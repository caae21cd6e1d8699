// The update feed: a self-contained part of the server. Register it in the app with
//   registerUpdateFeed(app, { releasesDir: releasesDirFromEnv() });
// and the admin CLI manages it with set-rollout, show-rollout and publish-release
// (server/cli/commands/rollout.ts).
export { registerUpdateFeed, UPDATE_FEED_DEFAULT_RATE_LIMIT, type UpdateFeedOptions } from './feed';
export { releasesDirFromEnv, resolveReleaseFile, isValidChannel } from './release-files';
export {
  readRollout,
  writeRollout,
  summariseChannel,
  listChannels,
  applyRollout,
  type Rollout,
  type ChannelSummary,
} from './rollout';
export { readUpdateInfo, withStagingPercentage, type UpdateInfoSummary } from './update-info';
export { publishRelease, type PublishResult } from './publish';

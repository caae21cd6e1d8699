// Every migration, oldest first. A new one is a new dated file added at the end.
import type { Migration } from './migration';
import { migration as initial } from './2026-11-28-0001-initial';
import { migration as overrideReview } from './2026-12-01-0002-override-review';
import { migration as importFeedAndSchedules } from './2026-12-02-0003-import-feed-and-schedules';

export const MIGRATIONS: readonly Migration[] = [initial, overrideReview, importFeedAndSchedules];

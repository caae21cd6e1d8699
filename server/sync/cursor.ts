// Pull cursors: opaque to devices (base64url JSON), meaningful only to the server that
// issued them. A cursor names the database instance and the user it was made for, so a
// cursor from another server, another user, or from before a feed compaction is
// recognised and answered with resync_required instead of a silently wrong page.
import { z } from 'zod';

const cursorSchema = z.discriminatedUnion('m', [
  // Snapshot: walking the visible cases by id; the feed resumes at s afterwards.
  z.object({
    v: z.literal(1),
    i: z.string(),
    u: z.string(),
    m: z.literal('s'),
    s: z.number().int().min(0),
    a: z.string().nullable(),
  }),
  // Feed: every visible change with seq <= s has been delivered.
  z.object({
    v: z.literal(1),
    i: z.string(),
    u: z.string(),
    m: z.literal('f'),
    s: z.number().int().min(0),
  }),
]);
export type PullCursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: PullCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): PullCursor | null {
  try {
    const parsed = cursorSchema.safeParse(
      JSON.parse(Buffer.from(text, 'base64url').toString('utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

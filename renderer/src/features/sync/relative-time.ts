// "3 minutes ago" in the UI language, without a date library plugin: Intl does the words.
export function relativeTime(
  instant: string,
  nowMs: number,
  lang: string,
  justNow: string,
): string {
  const seconds = Math.round((Date.parse(instant) - nowMs) / 1000);
  if (Math.abs(seconds) < 45) return justNow;
  const rtf = new Intl.RelativeTimeFormat(lang === 'en' ? 'en' : 'zh-CN', { numeric: 'auto' });
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}

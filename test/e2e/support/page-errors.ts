// A console error or an uncaught exception on the page is a defect even when the screen
// looks right: specs collect them for every test and expect none in afterEach.
import type { ConsoleMessage, Page } from '@playwright/test';

export function recordPageErrors(
  page: Page,
  options: { ignore?: (message: ConsoleMessage) => boolean } = {},
): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !options.ignore?.(message)) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

// What an officer reads when the ledger refuses: the busy-with-an-import refusal says so in
// words, instead of the generic "changed by someone else" text other conflicts get.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { errorText } from './format';
import { i18n } from './index';

describe('errorText', () => {
  it('explains an import in progress, in both languages', async () => {
    const busy = new ApiError('worklist.list', 'conflict', 'import running', {
      reason: 'import_running',
    });
    await i18n.changeLanguage('zh-CN');
    expect(errorText(busy, i18n.t)).toBe('正在导入贷款台账，导入完成后即可继续操作');
    await i18n.changeLanguage('en');
    expect(errorText(busy, i18n.t)).toMatch(/import is running/);
  });

  it('keeps the generic text for other conflicts', async () => {
    await i18n.changeLanguage('zh-CN');
    const other = new ApiError('contact.record', 'conflict', 'stale', { reason: 'stale' });
    expect(errorText(other, i18n.t)).toBe(i18n.t('errors.conflict'));
    expect(errorText(other, i18n.t)).not.toContain('导入');
  });
});

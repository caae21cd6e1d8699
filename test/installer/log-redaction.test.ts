// electron-log's own pipeline with the redaction hook electron/main/logging.ts installs:
// what reaches main.log (the file support bundles collect) has no borrower data, whether it
// was logged as an object, inside a message, or as an error. electron-log/node is the same
// logger core as electron-log/main, without Electron (which cannot start here).
//
// The hook is the one initLogging pushes (electron/main/logging.ts), imported from
// electron/support/redact.ts because logging.ts itself loads Electron.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import electronLog from 'electron-log/node';
import { describe, expect, it } from 'vitest';
import { redactingLogHook } from '../../electron/support/redact';
import { tempDir } from './helpers';

type Logger = typeof electronLog;

function redactingLogger(file: string, homeDir: string): Logger {
  const log = electronLog.create({ logId: `redaction-${Date.now()}-${Math.random()}` });
  log.hooks.push(redactingLogHook({ homeDir }));
  log.transports.console.level = false;
  log.transports.file.level = 'info';
  log.transports.file.resolvePathFn = () => file;
  return log;
}

describe('main.log through electron-log with the redaction hook', () => {
  it('holds what support needs and none of the borrower data that was logged', () => {
    const dir = tempDir();
    const file = join(dir, 'main.log');
    const log = redactingLogger(file, '/home/zhangwei');
    log.info('contact recorded', {
      caseId: '0193f3c2-7a1b-7c3d-8e4f-123456789012',
      borrowerName: '欧阳春燕',
      phone: '13800000001',
      note: 'will pay on Friday after the harvest',
      amountFen: 120000,
    });
    log.warn('sms to 13800000001 failed for 欧阳春燕 at 平安县城关镇东关村1组1号');
    log.error(new Error('id 63022119850315123X not unique in /home/zhangwei/.config/fieldbook'));
    log.info('synced', { pushed: 40, at: '2026-11-28T02:00:00.000Z' });

    const text = readFileSync(file, 'utf8');
    for (const secret of [
      '欧阳春燕',
      '13800000001',
      'harvest',
      '东关村',
      '63022119850315123X',
      'zhangwei',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
    // What support needs stays: ids, amounts, counts, times, what happened.
    expect(text).toContain('0193f3c2-7a1b-7c3d-8e4f-123456789012');
    expect(text).toContain('120000');
    expect(text).toContain('contact recorded');
    expect(text).toContain('sms to [phone] failed');
    expect(text).toContain('id [id-number] not unique in ~/.config/fieldbook');
    expect(text).toMatch(/pushed.*40/);
  });

  it('without the hook the same call would write the borrower data (the test can tell)', () => {
    const dir = tempDir();
    const file = join(dir, 'main.log');
    const log = electronLog.create({ logId: `unredacted-${Date.now()}` });
    log.transports.console.level = false;
    log.transports.file.resolvePathFn = () => file;
    log.info('contact recorded', { borrowerName: '欧阳春燕', phone: '13800000001' });
    expect(readFileSync(file, 'utf8')).toContain('欧阳春燕');
  });
});

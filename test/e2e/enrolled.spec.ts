// An enrolled laptop, end to end in Debian's Chromium: a real head office (server/main.ts
// on PGlite, set up with the admin CLI) behind a slow link, and the dev bridge started on
// an empty data folder with the first-run wizard (playwright.enrolled.config.ts):
//   wizard (a damaged provisioning file refused, a good one shown) → enrol with address +
//   code → sign in → first download with its progress → the officer's cases only → log a
//   call → 1 pending → Sync now → 0 pending, last sync shown → server down: offline, work
//   goes on → the server refuses an edit on a case reassigned meanwhile, and the status
//   says why → five wrong passwords lock a user out → switch user → head office revokes
//   the laptop → the next sync wipes it and the wizard says why.
//   FIELDBOOK_E2E_PORT=5206 npx playwright test -c playwright.enrolled.config.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { WorklistRow } from '../../shared/api/contract';
import { setLedgerClock } from './support/clock';
import { E2E_DATA_DIR, E2E_PORT, E2E_TODAY } from './support/env';
import { openHeadOffice, type HeadOffice } from './support/head-office';
import { LI_WEI_CASES, NAMES, PASSWORDS } from './support/head-office-people';
import { callLedger } from './support/ledger-api';
import { saveScreenshot, waitForWorklist, worklistRows } from './support/worklist-page';
import { recordPageErrors } from './support/page-errors';

const MORNING = `${E2E_TODAY}T10:00:00+08:00`;

let office: HeadOffice | null = null;

test.beforeAll(async () => {
  // Ports a thousand above the bridge's: the ones just above it belong to other runs.
  office = await openHeadOffice({ serverPort: E2E_PORT + 1001, linkPort: E2E_PORT + 1002 });
  await office.start();
});

test.afterAll(async () => {
  await office?.close();
});

async function pickOption(page: Page, testId: string, text: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text })
    .first()
    .click();
}

async function openProvisioningFile(page: Page, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open-provisioning-file').click();
  await (await chooser).setFiles(file);
}

function passwordBox(page: Page) {
  return page
    .locator('input[data-testid="sign-in-password"], [data-testid="sign-in-password"] input')
    .first();
}

async function signIn(page: Page, login: keyof typeof PASSWORDS, password: string) {
  const screen = page.getByTestId('sign-in-screen');
  await expect(screen).toBeVisible();
  await pickOption(page, 'sign-in-login', `(${login})`);
  await passwordBox(page).fill(password);
  await screen.getByRole('button', { name: '登录' }).click();
}

async function openCase(page: Page, row: WorklistRow): Promise<void> {
  const box = page.getByTestId('worklist-search');
  await box.fill(row.borrowerName);
  await box.press('Enter');
  await worklistRows(page)
    .and(page.locator(`[data-case-id="${row.caseId}"]`))
    .click();
  await expect(page.getByTestId('case-borrower-name')).toHaveText(row.borrowerName);
}

/** A call that nobody answered, optionally with the next visit date (a case field edit). */
async function logUnansweredCall(page: Page, nextActionDate?: string): Promise<void> {
  await page.getByTestId('action-call').click();
  const form = page.getByTestId('contact-form');
  await expect(form).toBeVisible();
  await pickOption(page, 'contact-outcome', '无人接听');
  if (nextActionDate) {
    const input = page
      .locator('[data-testid="next-action-date"] input, input[data-testid="next-action-date"]')
      .first();
    await input.click();
    await input.fill(nextActionDate);
    await input.press('Enter');
  }
  await form.getByTestId('contact-submit').click();
  await expect(page.getByTestId('contact-confirmed')).toContainText('无人接听');
  await page.getByTestId('case-back').click();
  await waitForWorklist(page);
}

test.describe('an enrolled laptop', () => {
  let pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors = recordPageErrors(page);
  });
  test.afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  test('enrol, sign in, first download, work, sync, offline, refusal, lockout, switch user, revocation', async ({
    page,
    request,
  }) => {
    const ho = office!;
    const pill = page.getByTestId('sync-status');

    // 1. First run: the wizard, nothing else.
    await page.goto('/');
    await expect(page.getByTestId('enrol-screen')).toBeVisible({ timeout: 60_000 });
    await saveScreenshot(page, 'enrolled-1-wizard');

    // 2. A provisioning file someone edited is refused, in words; the real one shows what it holds.
    const damaged = join(ho.dir, 'edited-provisioning.json');
    writeFileSync(damaged, readFileSync(ho.provisioningFile, 'utf8').replace('GZ01', 'GZ02'));
    await openProvisioningFile(page, damaged);
    await expect(page.getByTestId('provisioning-file-error')).toHaveText(
      '这个文件不能用：配置文件被改动过',
    );
    await openProvisioningFile(page, ho.provisioningFile);
    const opened = page.getByTestId('provisioning-opened');
    await expect(opened).toContainText('网点广州天河支行 (GZ01)');
    await expect(opened).toContainText(`服务器${ho.url}`);
    await expect(opened).toContainText('语言中文');
    await expect(opened).toContainText(/签名指纹[0-9a-f]{4}( [0-9a-f]{4}){7}/);
    await expect(page.getByTestId('provisioning-file-error')).toHaveCount(0);
    await expect(page.getByTestId('enrol-with-file')).toBeEnabled();
    await saveScreenshot(page, 'enrolled-2-wizard-provisioning-file');

    // 3. Enrol with the address and the one-time code (the file's own code stays unused).
    await page.getByTestId('enrol-manual').click();
    await page.getByTestId('enrol-server').fill(ho.url);
    await page.getByTestId('enrol-code').fill('WRONG-CODE-0000');
    await page.getByTestId('enrol-connect').click();
    await expect(page.getByTestId('enrol-error')).toContainText('注册码不对');
    await page.getByTestId('enrol-code').fill(ho.enrolmentCode);
    // The link is slow from here until the first download is in: its progress must show.
    ho.setPullDelay(2_500);
    await page.getByTestId('enrol-connect').click();

    // 4. Sign in offline against the verifiers head office sent.
    await expect(page.getByTestId('sign-in-screen')).toBeVisible();
    await saveScreenshot(page, 'enrolled-3-sign-in');
    await signIn(page, 'liwei', PASSWORDS.liwei);
    await expect(page.getByTestId('current-user')).toContainText(NAMES.liwei);

    // 5. The first download shows its progress, then the officer's cases — only theirs.
    await expect(page.getByTestId('sync-first-download')).toBeVisible();
    await expect(pill).toContainText(/首次下载|下载中/);
    // An empty worklist says the cases are on their way, not that there is nothing to do.
    await expect(page.getByTestId('worklist-downloading')).toBeVisible();
    await saveScreenshot(page, 'enrolled-4-first-download');
    ho.setPullDelay(0);
    await expect(pill).toContainText('上次同步', { timeout: 120_000 });
    await expect(page.getByTestId('sync-first-download')).toHaveCount(0);
    await waitForWorklist(page);
    await expect(page.getByTestId('worklist-total')).toHaveText(
      new RegExp(`共 (${LI_WEI_CASES}|${LI_WEI_CASES.toLocaleString('en')}) 个案件`),
    );
    const info = await callLedger(request, 'app.info', {});
    expect(info.currentUser.name).toBe(NAMES.liwei);
    const mine = await callLedger(request, 'worklist.list', { offset: 0, limit: 500 });
    expect(mine.total).toBe(LI_WEI_CASES);
    expect(new Set(mine.rows.map((r) => r.officer.name))).toEqual(new Set([NAMES.liwei]));
    const callable = mine.rows.filter((r) => r.phone && !r.flags.doNotContact);
    const [first, second] = callable;
    expect(first && second, 'two cases with a phone').toBeTruthy();

    // 6. Log a call: one change waits to go up.
    await setLedgerClock(request, MORNING);
    await openCase(page, first!);
    await logUnansweredCall(page);
    await expect(page.getByTestId('sync-pending')).toHaveText('待上传 1');

    // 7. Sync now: nothing pending, the last sync time shown.
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-pending')).toHaveCount(0);
    await expect(pill).toContainText('上次同步 刚刚');
    const synced = await callLedger(request, 'sync.status', {});
    expect(synced).toMatchObject({ pendingCount: 0, online: true, lastError: null });
    expect(synced.lastSuccessAt).not.toBeNull();

    // 8. Head office goes down: the pill says offline, and work goes on.
    await ho.stop();
    await page.getByTestId('sync-now').click();
    await expect(pill).toContainText('离线');
    await saveScreenshot(page, 'enrolled-5-offline');
    // Meanwhile the manager gives the second case to Wang Fang (CLI: the server is stopped).
    await ho.admin('reassign-case', '--case', second!.caseId, '--officer', 'wangfang');
    await openCase(page, second!);
    await logUnansweredCall(page, '2026-12-03');
    // The call (a fact) and the next visit date (a field edit).
    await expect(page.getByTestId('sync-pending')).toHaveText('待上传 2');
    await expect(pill).toContainText('离线');

    // 9. Back online: the call is kept, the date edit refused — visible, with what to do.
    await ho.start();
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-pending')).toHaveCount(0, { timeout: 60_000 });
    await expect(page.getByTestId('sync-refused-count')).toHaveText('1 条被退回');
    await expect(pill).not.toContainText('离线');
    await pill.click();
    const refused = page.getByTestId('sync-refused');
    await expect(refused).toContainText('案件已改派给其他催收员');
    await expect(refused).toContainText('请把情况告知新的负责人或主管');
    await expect(refused).toContainText('案件信息修改');
    await saveScreenshot(page, 'enrolled-6-status-refused');
    // Once the officer has told the new officer, "dealt with" takes it off the list.
    await refused.getByTestId('refusal-dismiss').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '已处理' }).click();
    await expect(page.getByTestId('sync-refused-count')).toHaveCount(0);
    await page.keyboard.press('Escape');
    // The case left this laptop with the sync.
    const after = await callLedger(request, 'worklist.list', { offset: 0, limit: 1 });
    expect(after.total).toBe(LI_WEI_CASES - 1);
    await setLedgerClock(request, null);

    // 10. Switch user; five wrong passwords lock Wang Fang out for 15 minutes.
    await page.getByRole('button', { name: '切换用户' }).click();
    await expect(page.getByTestId('sign-in-screen')).toBeVisible();
    for (let i = 1; i <= 5; i++) {
      await signIn(page, 'wangfang', `not-her-password-${i}`);
      await expect(page.getByTestId('sign-in-failure')).toHaveText(
        i < 5
          ? `账号或密码不对。再错 ${5 - i} 次将锁定 15 分钟。`
          : /连续输错 5 次，已锁定。\d\d:\d\d 后可再试。/,
      );
    }
    // Even her right password waits now.
    await signIn(page, 'wangfang', PASSWORDS.wangfang);
    await expect(page.getByTestId('sign-in-failure')).toContainText('已锁定');
    await saveScreenshot(page, 'enrolled-7-lockout');

    // 11. The manager signs in on the same laptop and works.
    await signIn(page, 'zhangmin', PASSWORDS.zhangmin);
    await expect(page.getByTestId('current-user')).toContainText(NAMES.zhangmin);
    await expect(pill).toContainText('上次同步', { timeout: 120_000 });

    // 12. Head office revokes the laptop: the next sync wipes it and the wizard says why.
    await ho.stop();
    const devices = JSON.parse(await ho.admin('list-devices', '--json')) as {
      id: string;
      revoked_at: string | null;
    }[];
    expect(devices).toHaveLength(1);
    await ho.admin('revoke-device', '--device', devices[0]!.id);
    await ho.start();
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('enrol-screen')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('enrol-wiped')).toContainText('总行已停用这台电脑');
    expect(existsSync(join(E2E_DATA_DIR, 'ledger.db'))).toBe(false);
    expect(await callLedger(request, 'session.state', {})).toMatchObject({
      mode: 'not_enrolled',
      signedIn: null,
    });
    await saveScreenshot(page, 'enrolled-8-wiped');
  });
});

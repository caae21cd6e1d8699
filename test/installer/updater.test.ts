// Updates never install over unsynced work without the user being told: the decision table,
// and the controller driving a stand-in for electron-updater's autoUpdater.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  createUpdateController,
  decideInstall,
  readPending,
  type UpdatePrompt,
  type UpdaterLike,
  type UpdateNotice,
} from '../../electron/main/updater';

describe('decideInstall', () => {
  it.each([
    ['downloaded', 0, { action: 'ask', prompt: { kind: 'restart_now', version: '0.2.0' } }],
    [
      'downloaded',
      3,
      { action: 'defer', notice: { kind: 'ready_after_sync', version: '0.2.0', pending: 3 } },
    ],
    [
      'downloaded',
      null,
      { action: 'defer', notice: { kind: 'ready_after_sync', version: '0.2.0', pending: null } },
    ],
    ['user', 0, { action: 'install' }],
    [
      'user',
      3,
      { action: 'ask', prompt: { kind: 'pending_changes', version: '0.2.0', pending: 3 } },
    ],
    [
      'user',
      null,
      { action: 'ask', prompt: { kind: 'pending_changes', version: '0.2.0', pending: null } },
    ],
    ['quit', 0, { action: 'install' }],
    ['quit', 3, { action: 'defer', notice: null }],
    ['quit', null, { action: 'defer', notice: null }],
  ] as const)('%s with %s pending -> %j', (trigger, pending, expected) => {
    expect(decideInstall(trigger, pending, '0.2.0')).toEqual(expected);
  });

  it('never installs without asking while anything (or an unknown amount) is pending', () => {
    for (const trigger of ['downloaded', 'user', 'quit'] as const) {
      for (const pending of [1, 250, null])
        expect(decideInstall(trigger, pending, '1.0.0').action).not.toBe('install');
    }
  });

  it('readPending treats a failing or nonsensical count as unknown', () => {
    expect(readPending(() => 4)).toBe(4);
    expect(readPending(() => 0)).toBe(0);
    expect(readPending(() => -1)).toBeNull();
    expect(readPending(() => Number.NaN)).toBeNull();
    expect(readPending(() => 1.5)).toBeNull();
    expect(
      readPending(() => {
        throw new Error('ledger closed');
      }),
    ).toBeNull();
  });
});

class FakeUpdater extends EventEmitter {
  autoDownload = false;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  logger: unknown = null;
  feed: unknown = null;
  checks = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  setFeedURL(options: unknown): void {
    this.feed = options;
  }
  async checkForUpdates(): Promise<null> {
    this.checks++;
    return null;
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
  downloaded(version = '0.2.0'): void {
    this.emit('update-downloaded', {
      version,
      files: [],
      path: '',
      sha512: '',
      releaseDate: '',
      downloadedFile: '/tmp/x',
    });
  }
}

function setup(options: { pending?: () => number; answers?: boolean[] } = {}) {
  const updater = new FakeUpdater();
  const prompts: UpdatePrompt[] = [];
  const notices: UpdateNotice[] = [];
  const answers = [...(options.answers ?? [])];
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  let pending = 0;
  const controller = createUpdateController({
    updater: updater as unknown as UpdaterLike,
    feedUrl: 'https://fieldbook.example.cn/updates/stable',
    pendingChanges: options.pending ?? (() => pending),
    confirm: async (prompt) => {
      prompts.push(prompt);
      return answers.shift() ?? false;
    },
    notify: (notice) => void notices.push(notice),
    log,
  });
  return { updater, controller, prompts, notices, log, setPending: (n: number) => (pending = n) };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the update controller', () => {
  it('uses the provisioned generic feed, one range per request, downloads by itself and never installs on quit by itself', () => {
    const { updater } = setup();
    expect(updater.feed).toEqual({
      provider: 'generic',
      url: 'https://fieldbook.example.cn/updates/stable',
      useMultipleRangeRequest: false,
    });
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updater.allowDowngrade).toBe(false);
  });

  it('with nothing pending, offers a restart; yes installs silently and restarts the app', async () => {
    const { updater, prompts } = setup({ answers: [true] });
    updater.downloaded();
    await flush();
    expect(prompts).toEqual([{ kind: 'restart_now', version: '0.2.0' }]);
    expect(updater.installs).toEqual([[true, true]]);
  });

  it('with nothing pending and "later", installs on the next quit, without relaunching', async () => {
    const { updater, controller } = setup({ answers: [false] });
    updater.downloaded();
    await flush();
    expect(updater.installs).toEqual([]);
    const event = { preventDefault: vi.fn() };
    controller.onBeforeQuit(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(updater.installs).toEqual([[true, false]]);
    controller.onBeforeQuit(event); // quitAndInstall quits again: no second install
    expect(updater.installs).toHaveLength(1);
  });

  it('with changes pending, only tells the user it is ready and waits for the sync', async () => {
    const { updater, controller, prompts, notices, setPending } = setup();
    setPending(7);
    updater.downloaded();
    await flush();
    expect(prompts).toEqual([]);
    expect(notices).toEqual([{ kind: 'ready_after_sync', version: '0.2.0', pending: 7 }]);
    const event = { preventDefault: vi.fn() };
    controller.onBeforeQuit(event);
    expect(event.preventDefault).not.toHaveBeenCalled(); // quitting is never held up
    expect(updater.installs).toEqual([]);
    // Synced later: the next quit installs.
    setPending(0);
    controller.onBeforeQuit(event);
    expect(updater.installs).toEqual([[true, false]]);
  });

  it('"install now" with changes pending asks with the count; no leaves it, yes installs', async () => {
    const { updater, controller, prompts, setPending } = setup({ answers: [false, true] });
    setPending(2);
    updater.downloaded();
    await flush();
    expect(await controller.installNow()).toBe(false);
    expect(prompts).toEqual([{ kind: 'pending_changes', version: '0.2.0', pending: 2 }]);
    expect(updater.installs).toEqual([]);
    expect(await controller.installNow()).toBe(true);
    expect(updater.installs).toEqual([[true, true]]);
  });

  it('asks again when work was recorded while the restart question was open', async () => {
    let pending = 0;
    const { updater, prompts } = setup({ pending: () => pending, answers: [true, false] });
    updater.downloaded();
    pending = 1; // recorded while the dialog is up
    await flush();
    expect(prompts).toEqual([
      { kind: 'restart_now', version: '0.2.0' },
      { kind: 'pending_changes', version: '0.2.0', pending: 1 },
    ]);
    expect(updater.installs).toEqual([]);
  });

  it('treats a pending count it cannot read as pending', async () => {
    const { updater, controller, notices } = setup({
      pending: () => {
        throw new Error('ledger closed');
      },
    });
    updater.downloaded();
    await flush();
    expect(notices[0]).toMatchObject({ kind: 'ready_after_sync', pending: null });
    controller.onBeforeQuit({ preventDefault: vi.fn() });
    expect(updater.installs).toEqual([]);
  });

  it('does nothing on quit or "install now" before anything was downloaded', async () => {
    const { updater, controller } = setup();
    const event = { preventDefault: vi.fn() };
    controller.onBeforeQuit(event);
    expect(await controller.installNow()).toBe(false);
    expect(event.preventDefault).not.toHaveBeenCalled();
    expect(updater.installs).toEqual([]);
  });

  it('reports progress and logs (does not throw) when offline', async () => {
    const { updater, controller, log } = setup();
    updater.emit('update-available', { version: '0.2.0' });
    updater.emit('download-progress', { percent: 41.6 });
    expect(controller.state()).toEqual({ status: 'downloading', version: '0.2.0', percent: 42 });
    updater.checkForUpdates = async () => {
      throw new Error('net::ERR_INTERNET_DISCONNECTED');
    };
    await controller.checkNow();
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('ERR_INTERNET_DISCONNECTED'));
  });

  it('checks after the first delay and then on its interval, until stopped', async () => {
    vi.useFakeTimers();
    try {
      const updater = new FakeUpdater();
      const controller = createUpdateController({
        updater: updater as unknown as UpdaterLike,
        feedUrl: 'https://x/updates/stable',
        pendingChanges: () => 0,
        confirm: async () => false,
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
        firstCheckDelayMs: 1000,
        checkIntervalMs: 60_000,
      });
      controller.start();
      await vi.advanceTimersByTimeAsync(999);
      expect(updater.checks).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(updater.checks).toBe(1);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(updater.checks).toBe(3);
      controller.stop();
      await vi.advanceTimersByTimeAsync(600_000);
      expect(updater.checks).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

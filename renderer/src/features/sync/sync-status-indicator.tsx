// Always in the header, never in the way: whether the laptop reached head office, when it
// last synced, how many changes wait to go up, a "Sync now" button, a moving bar with
// counts during a first download, and — one click away — the changes head office refused,
// each with its reason and what to do, a link to its case when the case is on this
// computer, and "Dealt with" to take it off the list (it works whether or not the case is
// here; a refused record stays on its case's timeline, marked). The demo ledger says
// plainly it has no server.
import { useEffect, useRef, useState } from 'react';
import { App, Button, Divider, Popconfirm, Popover, Tooltip, Typography } from 'antd';
import { SyncOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { SyncStatusView } from '../../../../shared/api/sync-contract';
import { useDataVersion } from '../../app/data-version';
import { openRoute } from '../../app/router';
import { asApiError } from '../../api/client';
import { useSession } from '../sign-in/session-context';
import { errorText } from '../../i18n/format';
import { relativeTime } from './relative-time';
import { kindText, lastErrorText, refusalText } from './sync-texts';
import { useSyncStatus } from './use-sync-status';
import './sync.css';

/** Re-renders every 30 s so "3 minutes ago" stays true. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

function DemoIndicator() {
  const { t } = useTranslation();
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={t('sync.demoTitle')}
      content={<div className="fb-sync-panel">{t('sync.demoBody')}</div>}
    >
      <button type="button" className="fb-sync-pill" data-testid="sync-status" data-mode="demo">
        <span className="fb-sync-dot is-demo" aria-hidden />
        <span>{t('sync.demo')}</span>
      </button>
    </Popover>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="fb-sync-panel-row">
      <span>{label}</span>
      <span>{children}</span>
    </div>
  );
}

interface PanelProps {
  status: SyncStatusView;
  now: number;
  onOpenCase: (caseId: string) => void;
  onDismiss: (mutationId: number) => Promise<void>;
}

function Panel({ status, now, onOpenCase, onDismiss }: PanelProps) {
  const { t, i18n } = useTranslation();
  const [dismissing, setDismissing] = useState<number | null>(null);
  const when = (iso: string) => relativeTime(iso, now, i18n.language, t('sync.justNow'));
  const connection =
    status.online === null
      ? t('sync.unknown')
      : status.online
        ? t('sync.online')
        : t('sync.offline');
  return (
    <div className="fb-sync-panel" data-testid="sync-panel">
      {status.serverUrl && <Row label={t('sync.server')}>{status.serverUrl}</Row>}
      <Row label={t('sync.title')}>{status.syncing ? t('sync.syncing') : connection}</Row>
      <Row label={t('sync.lastSuccess')}>
        {status.lastSuccessAt ? (
          <Tooltip title={new Date(status.lastSuccessAt).toLocaleString(i18n.language)}>
            {when(status.lastSuccessAt)}
          </Tooltip>
        ) : (
          t('sync.never')
        )}
      </Row>
      <Row label={t('sync.pendingLabel')}>{status.pendingCount}</Row>
      {status.awaitingSignInCount > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('sync.awaitingSignIn', { count: status.awaitingSignInCount })}
        </Typography.Text>
      )}
      {(status.firstDownload || firstSyncRunning(status)) && (
        <>
          <div className="fb-sync-progress is-wide" role="progressbar" aria-busy />
          <Typography.Text style={{ fontSize: 13 }}>
            {status.firstDownload
              ? t('sync.firstDownload', {
                  cases: status.firstDownload.cases.toLocaleString(),
                  facts: status.firstDownload.facts.toLocaleString(),
                })
              : t('sync.firstDownloadStarting')}
          </Typography.Text>
        </>
      )}
      {status.lastError && (
        <Row label={t('sync.lastError')}>
          <Typography.Text type="warning">
            {t('sync.errorAt', {
              when: when(status.lastError.at),
              reason: lastErrorText(status.lastError.code, t),
            })}
          </Typography.Text>
        </Row>
      )}
      <Divider style={{ margin: '10px 0 6px' }} />
      <Typography.Text strong>
        {t('sync.refusedTitle', { count: status.refused.length })}
      </Typography.Text>
      {status.refused.length === 0 ? (
        <div className="fb-sync-count">{t('sync.refusedNone')}</div>
      ) : (
        <ul className="fb-sync-refused-list" data-testid="sync-refused">
          {status.refused.map((r) => {
            const text = refusalText(r.code, t);
            return (
              <li key={r.mutationId} className="fb-sync-refused-item">
                <div className="fb-sync-refused-item-title">
                  {r.borrowerName
                    ? t('sync.refusedCase', { borrower: r.borrowerName, kind: kindText(r.kind, t) })
                    : t('sync.refusedUnknownCase', { kind: kindText(r.kind, t) })}
                </div>
                <div>{text.reason}</div>
                <div>
                  <strong>{t('sync.whatToDo')}</strong>
                  {text.todo}
                </div>
                <div className="fb-sync-refused-item-meta">
                  {t('sync.refusedBy', { name: r.recordedBy ?? '—', when: when(r.createdAt) })}
                </div>
                <div className="fb-sync-refused-item-actions">
                  {r.borrowerName && (
                    <Button
                      size="small"
                      type="link"
                      onClick={() => onOpenCase(r.caseId)}
                      data-testid="refusal-open-case"
                    >
                      {t('refusedFact.openCase')}
                    </Button>
                  )}
                  <Popconfirm
                    title={t('refusedFact.dismissConfirm')}
                    okText={t('refusedFact.dismiss')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => {
                      setDismissing(r.mutationId);
                      return onDismiss(r.mutationId).finally(() => setDismissing(null));
                    }}
                  >
                    <Button
                      size="small"
                      loading={dismissing === r.mutationId}
                      data-testid="refusal-dismiss"
                    >
                      {t('refusedFact.dismiss')}
                    </Button>
                  </Popconfirm>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/**
 * The device has never synced and a sync is running: the first download, before its first
 * page has landed (status.firstDownload counts pages once they are in the ledger).
 */
function firstSyncRunning(status: SyncStatusView): boolean {
  return status.syncing && status.lastSuccessAt === null;
}

export function SyncStatusIndicator() {
  const { t, i18n } = useTranslation();
  const { status, syncing, error, syncNow, dismissRefusal } = useSyncStatus();
  const { message } = App.useApp();
  const [panelOpen, setPanelOpen] = useState(false);
  const session = useSession();
  // The sync found the device revoked (wiped) or the session changed under us: the gate
  // asks the session again and shows the wizard or the sign-in screen.
  const statusMode = status?.mode;
  const sessionMode = session?.state.mode;
  const refreshSession = session?.refresh;
  useEffect(() => {
    if (statusMode && sessionMode && statusMode !== sessionMode) refreshSession?.();
  }, [statusMode, sessionMode, refreshSession]);
  const now = useNow();
  const { bump } = useDataVersion();
  // A finished sync may have brought cases and facts: screens showing ledger data refetch.
  const lastSuccess = useRef<string | null | undefined>(undefined);
  const lastSuccessAt = status?.lastSuccessAt;
  useEffect(() => {
    if (lastSuccessAt === undefined) return;
    if (lastSuccess.current !== undefined && lastSuccess.current !== lastSuccessAt) bump();
    lastSuccess.current = lastSuccessAt;
  }, [lastSuccessAt, bump]);
  if (!status) return null;
  if (status.mode === 'demo') return <DemoIndicator />;
  if (status.mode !== 'enrolled') return null;

  const busy = syncing || status.syncing;
  const dot =
    status.online === null ? '' : status.online && !status.lastError ? 'is-online' : 'is-offline';
  const label = busy
    ? t('sync.syncing')
    : status.lastSuccessAt
      ? t('sync.lastSync', {
          when: relativeTime(status.lastSuccessAt, now, i18n.language, t('sync.justNow')),
        })
      : t('sync.never');
  return (
    <span className="fb-sync">
      <Popover
        trigger="click"
        placement="bottomRight"
        title={t('sync.title')}
        open={panelOpen}
        onOpenChange={setPanelOpen}
        content={
          <Panel
            status={status}
            now={now}
            onOpenCase={(caseId) => {
              setPanelOpen(false);
              openRoute({ screen: 'case', caseId });
            }}
            onDismiss={async (mutationId) => {
              try {
                await dismissRefusal(mutationId);
                // The case file shows the refusal as dealt with: screens read again.
                bump();
              } catch (err) {
                void message.error(errorText(asApiError('sync.dismissRefusal', err), t));
              }
            }}
          />
        }
      >
        <button
          type="button"
          className="fb-sync-pill"
          data-testid="sync-status"
          data-mode="enrolled"
          aria-label={t('sync.title')}
        >
          <span className={`fb-sync-dot ${dot}`} aria-hidden />
          <span>
            {status.online === false && !busy ? `${t('sync.offline')} · ` : ''}
            {label}
          </span>
          {(status.firstDownload || firstSyncRunning(status)) && (
            <>
              <span className="fb-sync-progress" aria-hidden data-testid="sync-first-download" />
              <span className="fb-sync-count">
                {status.firstDownload
                  ? t('sync.firstDownloadShort', {
                      items: status.firstDownload.items.toLocaleString(),
                    })
                  : t('sync.firstDownloadStartingShort')}
              </span>
            </>
          )}
          {status.pendingCount > 0 && (
            <span className="fb-sync-count" data-testid="sync-pending">
              {t('sync.pending', { count: status.pendingCount })}
            </span>
          )}
          {status.refused.length > 0 && (
            <span className="fb-sync-refused" data-testid="sync-refused-count">
              {t('sync.refusedBadge', { count: status.refused.length })}
            </span>
          )}
        </button>
      </Popover>
      <Tooltip title={error ? errorText(error, t) : t('sync.syncNow')}>
        <Button
          size="small"
          icon={<SyncOutlined spin={busy} />}
          onClick={syncNow}
          disabled={busy}
          data-testid="sync-now"
        >
          {t('sync.syncNow')}
        </Button>
      </Tooltip>
    </span>
  );
}

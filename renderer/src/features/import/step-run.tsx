// Step 4: the import writing, with rows done out of the total and the phase, and a cancel
// that rolls everything back; then what the import did to the ledger.
import { Button, Descriptions, Popconfirm, Progress, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportRunOutput } from '../../../../shared/api/import-contract';
import { useFormatContext } from '../../app/use-format';
import { importErrorText, progressPercent } from './import-texts';
import type { ImportFlow } from './use-import-flow';

function RunSummary({ result }: { result: ImportRunOutput }) {
  const { t } = useTranslation();
  const n = (value: number, testId: string) => (
    <span className="fb-num" data-testid={testId}>
      {value.toLocaleString('en-US')}
    </span>
  );
  const items = [
    { key: 'rowsRead', label: t('import.result.rowsRead'), children: n(result.rowsRead, 'import-result-rows') },
    { key: 'created', label: t('import.result.loansCreated'), children: n(result.loansCreated, 'import-result-created') },
    { key: 'updated', label: t('import.result.loansUpdated'), children: n(result.loansUpdated, 'import-result-updated') },
    { key: 'leftOut', label: t('import.result.rowsLeftOut'), children: n(result.rowsLeftOut, 'import-result-left-out') },
    { key: 'closed', label: t('import.result.loansClosed'), children: n(result.loansClosed, 'import-result-closed') },
    { key: 'opened', label: t('import.result.casesOpened'), children: n(result.casesOpened, 'import-result-cases-opened') },
    { key: 'reopened', label: t('import.result.casesReopened'), children: n(result.casesReopened, 'import-result-cases-reopened') },
    { key: 'casesClosed', label: t('import.result.casesClosed'), children: n(result.casesClosed, 'import-result-cases-closed') },
    {
      key: 'fallback',
      label: t('import.result.casesToFallbackOfficer'),
      children: n(result.casesToFallbackOfficer, 'import-result-fallback'),
    },
  ];
  return (
    <Descriptions
      className="fb-import-summary"
      data-testid="import-result"
      size="small"
      bordered
      column={3}
      items={items}
    />
  );
}

export function StepRun({ flow }: { flow: ImportFlow }) {
  const { t } = useTranslation();
  const { lang } = useFormatContext();
  const { run } = flow.state;
  if (!run) return null;

  if (run.state === 'running') {
    const p = run.progress?.stage === 'run' ? run.progress : null;
    const total = p?.totalRows ?? flow.state.preview?.output?.report.totalRows ?? 0;
    return (
      <div className="fb-import-working" data-testid="import-running">
        <Typography.Title level={5}>
          {run.cancelling ? t('import.run.cancelling') : t('import.run.importing')}
        </Typography.Title>
        <Progress percent={progressPercent(run.progress)} status={run.cancelling ? 'exception' : 'active'} />
        <div className="fb-import-run-counts fb-num" data-testid="import-run-counts">
          {t('import.run.rows', { done: (p?.rowsRead ?? 0).toLocaleString('en-US'), total: total.toLocaleString('en-US') })}
          {' · '}
          {t('import.run.loansWritten', { count: p?.loansWritten ?? 0, written: (p?.loansWritten ?? 0).toLocaleString('en-US') })}
          {' · '}
          <span data-testid="import-run-phase">{t(`import.phase.${p?.phase ?? 'writing'}`)}</span>
        </div>
        <Popconfirm
          title={t('import.run.cancelConfirmTitle')}
          description={t('import.run.cancelConfirm')}
          okText={t('import.run.cancelYes')}
          cancelText={t('import.run.cancelNo')}
          okButtonProps={{ danger: true, 'data-testid': 'import-cancel-confirm' }}
          onConfirm={() => void flow.cancel()}
          disabled={run.cancelling}
        >
          <Button danger disabled={run.cancelling} data-testid="import-cancel-run">
            {t('import.run.cancel')}
          </Button>
        </Popconfirm>
        <div className="fb-secondary">{t('import.run.othersWait')}</div>
      </div>
    );
  }

  if (run.state === 'done' && run.result) {
    return (
      <Result
        status="success"
        className="fb-import-result"
        title={<span data-testid="import-done">{t('import.result.title')}</span>}
        subTitle={t('import.result.subtitle', { seconds: (run.result.ms / 1000).toFixed(1) })}
        extra={[
          <Button key="worklist" type="primary" href="#/">
            {t('import.result.toWorklist')}
          </Button>,
          <Button key="again" onClick={flow.reset} data-testid="import-another">
            {t('import.result.another')}
          </Button>,
        ]}
      >
        <RunSummary result={run.result} />
      </Result>
    );
  }

  if (run.state === 'cancelled') {
    return (
      <Result
        status="info"
        title={<span data-testid="import-cancelled">{t('import.run.cancelled')}</span>}
        subTitle={t('import.run.cancelledHint')}
        extra={[
          <Button key="back" type="primary" onClick={() => flow.goTo(2)}>
            {t('import.run.backToPreview')}
          </Button>,
          <Button key="again" onClick={flow.reset}>
            {t('import.result.another')}
          </Button>,
        ]}
      />
    );
  }

  return (
    <Result
      status="error"
      title={t('import.run.failed')}
      subTitle={
        <span data-testid="import-run-error">{run.error ? importErrorText(run.error, t, lang) : ''}</span>
      }
      extra={[
        <Button key="back" type="primary" onClick={() => flow.goTo(2)}>
          {t('import.run.backToPreview')}
        </Button>,
        <Button key="again" onClick={flow.reset}>
          {t('import.result.another')}
        </Button>,
      ]}
    />
  );
}

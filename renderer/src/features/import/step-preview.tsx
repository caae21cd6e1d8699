// Step 3: every row validated, nothing written yet. The counts say what an import would do;
// the problems table says why each rejected row is rejected. A file with rejected rows is
// imported only when the manager explicitly chooses "valid rows only" — never half a file
// by accident.
import { Alert, Button, Checkbox, Progress, Result, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../../../shared/money';
import { useFormatContext } from '../../app/use-format';
import { fileIssueText, importErrorText, progressPercent } from './import-texts';
import { IssuesTable } from './issues-table';
import { ParsedSampleTable } from './parsed-sample-table';
import type { ImportFlow } from './use-import-flow';

function Count({ label, value, tone, testId }: { label: string; value: number; tone?: string; testId: string }) {
  return (
    <div className={`fb-import-count ${tone ? `fb-import-count-${tone}` : ''}`}>
      <div className="fb-import-count-value fb-num" data-testid={testId}>
        {value.toLocaleString('en-US')}
      </div>
      <div className="fb-import-count-label">{label}</div>
    </div>
  );
}

export function StepPreview({ flow }: { flow: ImportFlow }) {
  const { t } = useTranslation();
  const { lang } = useFormatContext();
  const { preview, full, validOnly, unknownOfficer } = flow.state;
  if (!preview) return null;

  if (preview.running) {
    const rows = preview.progress?.stage === 'preview' ? preview.progress.rows : 0;
    return (
      <div className="fb-import-working" data-testid="import-previewing">
        <Typography.Title level={5}>{t('import.preview.checking')}</Typography.Title>
        <Progress percent={progressPercent(preview.progress)} status="active" />
        <div className="fb-secondary fb-num" data-testid="import-preview-rows">
          {t('import.preview.rowsChecked', { count: rows })}
        </div>
        <Button onClick={() => void flow.cancel()} data-testid="import-cancel-preview">
          {t('import.preview.stop')}
        </Button>
      </div>
    );
  }

  if (preview.cancelled) {
    return (
      <Result
        status="info"
        title={t('import.preview.cancelled')}
        extra={
          <Button type="primary" onClick={() => void flow.startPreview()}>
            {t('import.preview.again')}
          </Button>
        }
      />
    );
  }

  if (preview.error || !preview.output) {
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        data-testid="import-preview-error"
        title={t('import.preview.failed')}
        description={preview.error ? importErrorText(preview.error, t, lang) : undefined}
        action={
          <Button size="small" onClick={() => void flow.startPreview()}>
            {t('app.retry')}
          </Button>
        }
      />
    );
  }

  const { report, sample, canImport } = preview.output;
  const unknownOfficers = report.issueCounts.unknown_officer_code ?? 0;
  const worthLooking = report.rejectedRows + report.warningRows > 0;

  return (
    <div className="fb-import-step" data-testid="import-step-preview">
      {report.fileIssues.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="import-file-issues"
          title={t('import.preview.fileIssues')}
          description={
            <ul className="fb-import-list">
              {report.fileIssues.map((issue, i) => (
                <li key={i}>{fileIssueText(issue, lang)}</li>
              ))}
            </ul>
          }
        />
      )}

      <div className="fb-import-counts" data-testid="import-counts">
        <Count label={t('import.preview.total')} value={report.totalRows} testId="import-count-total" />
        <Count label={t('import.preview.valid')} value={report.validRows} tone="ok" testId="import-count-valid" />
        <Count
          label={t('import.preview.rejected')}
          value={report.rejectedRows}
          tone={report.rejectedRows > 0 ? 'bad' : undefined}
          testId="import-count-rejected"
        />
        <Count
          label={t('import.preview.warnings')}
          value={report.warningRows}
          tone={report.warningRows > 0 ? 'warn' : undefined}
          testId="import-count-warnings"
        />
        <Count label={t('import.preview.skipped')} value={report.skippedRows} testId="import-count-skipped" />
        <Count label={t('import.preview.delinquent')} value={report.delinquentRows} testId="import-count-delinquent" />
        <div className="fb-import-totals">
          <div>
            <span className="fb-secondary">{t('import.preview.totalOutstanding')}</span>{' '}
            <span className="fb-num" data-testid="import-total-outstanding">
              {formatFen(report.totals.outstandingFen)}
            </span>
          </div>
          <div>
            <span className="fb-secondary">{t('import.preview.totalArrears')}</span>{' '}
            <span className="fb-num">{formatFen(report.totals.arrearsFen)}</span>
          </div>
          <div>
            <span className="fb-secondary">{t('import.preview.totalPrincipal')}</span>{' '}
            <span className="fb-num">{formatFen(report.totals.principalFen)}</span>
          </div>
        </div>
      </div>

      {unknownOfficers > 0 && unknownOfficer === 'error' && (
        <Alert
          type="warning"
          showIcon
          data-testid="import-unknown-officers"
          title={t('import.preview.unknownOfficers', { count: unknownOfficers })}
          action={
            <Button size="small" onClick={() => void flow.startPreview({ unknownOfficer: 'warning' })}>
              {t('import.preview.unknownOfficersAsWarning')}
            </Button>
          }
        />
      )}

      <Tabs
        size="small"
        className="fb-import-tabs"
        defaultActiveKey={worthLooking ? 'issues' : 'sample'}
        items={[
          {
            key: 'issues',
            label: t('import.preview.issuesTab', { count: report.issues.length }),
            children: (
              <>
                {report.issuesTruncated && (
                  <Alert type="info" showIcon title={t('import.preview.issuesTruncated', { count: report.issues.length })} />
                )}
                {report.issues.length > 0 ? (
                  <IssuesTable key={preview.runId} issues={report.issues} />
                ) : (
                  <div className="fb-import-empty">{t('import.preview.noIssues')}</div>
                )}
              </>
            ),
          },
          {
            key: 'sample',
            label: t('import.preview.sampleTab', { count: sample.length }),
            children: <ParsedSampleTable rows={sample} />,
          },
        ]}
      />

      <div className="fb-import-choices" data-testid="import-choices">
        <Checkbox checked={full} onChange={(e) => flow.setFull(e.target.checked)} data-testid="import-full">
          <span className="fb-import-choice-title">{t('import.preview.full')}</span>
          <span className="fb-secondary"> {t('import.preview.fullHint')}</span>
        </Checkbox>
        {report.rejectedRows > 0 && (
          <Checkbox
            checked={validOnly}
            onChange={(e) => flow.setValidOnly(e.target.checked)}
            disabled={!canImport}
            data-testid="import-valid-only"
          >
            <span className="fb-import-choice-title">
              {t('import.preview.validOnly', { valid: report.validRows, rejected: report.rejectedRows })}
            </span>
          </Checkbox>
        )}
      </div>
    </div>
  );
}

// The portfolio import (#/import), for managers and admins: the core banking export in four
// steps — file, mapping, preview, import — and, on its own tab, the reconciliation export
// that hands field activity back to the core system.
import { useEffect, useState } from 'react';
import { App, Button, Result, Segmented, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppInfo } from '../../app/app-info';
import { useDataVersion } from '../../app/data-version';
import { importBlocker, previewBlocker } from './import-rules';
import { ReconciliationExport } from './reconciliation-export';
import { StepFile } from './step-file';
import { StepMapping } from './step-mapping';
import { StepPreview } from './step-preview';
import { StepRun } from './step-run';
import { useImportFlow, type ImportFlow, type ImportStep } from './use-import-flow';
import './import.css';

/** The furthest step the user may go to by clicking the step bar. */
function reachable(flow: ImportFlow): ImportStep {
  const s = flow.state;
  if (s.run) return 3;
  if (s.preview) return 2;
  if (s.inspection) return 1;
  return 0;
}

function StepFooter({ flow }: { flow: ImportFlow }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const { bump } = useDataVersion();
  const s = flow.state;

  if (s.step === 0) {
    if (!s.file) return null;
    return (
      <div className="fb-import-footer">
        <span />
        <Button type="primary" disabled={!s.inspection || s.inspecting} onClick={() => flow.goTo(1)} data-testid="import-next-mapping">
          {t('import.nav.toMapping')}
        </Button>
      </div>
    );
  }

  if (s.step === 1) {
    const blocker = previewBlocker(s);
    return (
      <div className="fb-import-footer">
        <Button onClick={() => flow.goTo(0)}>{t('import.nav.back')}</Button>
        <span className="fb-import-footer-right">
          {blocker && blocker !== 'reading' && (
            <span className="fb-secondary" data-testid="import-preview-blocker">
              {t(`import.nav.previewBlocker.${blocker}`)}
            </span>
          )}
          <Button type="primary" disabled={blocker !== null} onClick={() => void flow.startPreview()} data-testid="import-start-preview">
            {t('import.nav.toPreview')}
          </Button>
        </span>
      </div>
    );
  }

  if (s.step === 2) {
    // While the check runs, its own panel holds the only action (stop).
    if (s.preview?.running) return null;
    const blocker = importBlocker(s);
    const report = s.preview?.output?.report;
    const rows = report?.validRows ?? 0;
    const confirmRun = () => {
      modal.confirm({
        title: t('import.confirm.title', { count: rows }),
        content: (
          <ul className="fb-import-list">
            {s.validOnly && report && report.rejectedRows > 0 && (
              <li>{t('import.confirm.leftOut', { count: report.rejectedRows })}</li>
            )}
            {s.full ? <li>{t('import.confirm.full')}</li> : <li>{t('import.confirm.notFull')}</li>}
            <li>{t('import.confirm.undo')}</li>
          </ul>
        ),
        okText: t('import.confirm.ok'),
        cancelText: t('import.confirm.cancel'),
        okButtonProps: { 'data-testid': 'import-confirm-run' },
        onOk: () => {
          void flow.startRun().then((result) => {
            if (result) bump();
          });
        },
      });
    };
    return (
      <div className="fb-import-footer">
        <Button onClick={() => flow.goTo(1)} disabled={s.preview?.running}>
          {t('import.nav.backToMapping')}
        </Button>
        <span className="fb-import-footer-right">
          {blocker && blocker !== 'previewing' && (
            <span className="fb-import-blocker" data-testid="import-run-blocker">
              {t(`import.nav.importBlocker.${blocker}`, { count: report?.rejectedRows ?? 0 })}
            </span>
          )}
          <Button disabled={s.preview?.running} onClick={() => void flow.startPreview()} data-testid="import-repreview">
            {t('import.nav.checkAgain')}
          </Button>
          <Button type="primary" disabled={blocker !== null} onClick={confirmRun} data-testid="import-start-run">
            {t('import.nav.import', { count: rows })}
          </Button>
        </span>
      </div>
    );
  }
  return null;
}

function ImportSteps() {
  const { t } = useTranslation();
  const info = useAppInfo();
  const flow = useImportFlow(info.today);
  const s = flow.state;
  const busy = s.inspecting || s.preview?.running === true || s.run?.state === 'running';
  const furthest = reachable(flow);
  const previewStatus =
    s.preview?.output && s.preview.output.report.rejectedRows > 0 ? ('error' as const) : undefined;

  return (
    <div className="fb-import-flow">
      <Steps
        className="fb-import-steps"
        size="small"
        current={s.step}
        data-testid="import-steps"
        onChange={(step) => {
          if (!busy && step <= furthest && s.run?.state !== 'done') flow.goTo(step as ImportStep);
        }}
        items={[
          { title: t('import.step.file'), content: s.file?.name ?? t('import.step.fileHint') },
          { title: t('import.step.mapping'), content: t('import.step.mappingHint'), disabled: furthest < 1 },
          {
            title: t('import.step.preview'),
            content: t('import.step.previewHint'),
            disabled: furthest < 2,
            ...(s.step === 2 && previewStatus ? { status: previewStatus } : {}),
          },
          { title: t('import.step.run'), content: t('import.step.runHint'), disabled: furthest < 3 },
        ]}
      />
      <div className="fb-import-body">
        {s.step === 0 && <StepFile flow={flow} />}
        {s.step === 1 && <StepMapping flow={flow} />}
        {s.step === 2 && <StepPreview flow={flow} />}
        {s.step === 3 && <StepRun flow={flow} />}
      </div>
      <StepFooter flow={flow} />
    </div>
  );
}

type Tab = 'import' | 'export';

export function ImportPage() {
  const { t } = useTranslation();
  const info = useAppInfo();
  const [tab, setTab] = useState<Tab>('import');
  const role = info.currentUser.role;

  useEffect(() => {
    document.querySelector('.fb-import-page')?.scrollTo({ top: 0 });
  }, [tab]);

  if (role !== 'manager' && role !== 'admin') {
    return (
      <div className="fb-page fb-import-page" data-testid="import-page">
        <Result
          status="403"
          title={t('import.forbiddenTitle')}
          subTitle={t('import.forbidden')}
          extra={
            <Button type="primary" href="#/">
              {t('import.result.toWorklist')}
            </Button>
          }
        />
      </div>
    );
  }

  return (
    <div className="fb-page fb-import-page" data-testid="import-page">
      <div className="fb-page-head fb-import-head">
        <div>
          <Typography.Title level={3} className="fb-page-title">
            {t('import.title')}
          </Typography.Title>
          <span className="fb-secondary">{t('import.subtitle')}</span>
        </div>
        <Segmented<Tab>
          data-testid="import-tabs"
          value={tab}
          onChange={setTab}
          options={[
            { value: 'import', label: t('import.tab.import') },
            { value: 'export', label: t('import.tab.export') },
          ]}
        />
      </div>
      {/* The flow stays mounted under the export tab: a run keeps its progress. */}
      <div hidden={tab !== 'import'}>
        <ImportSteps />
      </div>
      {tab === 'export' && <ReconciliationExport />}
    </div>
  );
}

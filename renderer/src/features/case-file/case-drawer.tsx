// The case file, opened from the worklist: who the borrower is, how to reach them, what
// they owe, what they promised, and every recorded fact with who recorded it.
// Issue 3 grows this into the full case file with actions; keep sections separate.
import type { ReactNode } from 'react';
import { Descriptions, Drawer, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseFile } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/use-api-query';
import { useFormatContext } from '../../app/use-format';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { ReasonLine } from '../../components/reason-line';
import { longDate, type FormatContext } from '../../i18n/format';
import { ContactPointsList } from './contact-points-list';
import { LoansTable } from './loans-table';
import { PromisesTable } from './promises-table';
import { CaseTimeline } from './case-timeline';

const FLAG_COLORS: Record<keyof CaseFile['flags'], string> = {
  hardship: 'purple',
  vulnerable: 'cyan',
  dispute: 'orange',
  doNotContact: 'red',
};

export interface CaseDrawerProps {
  caseId: string | null;
  onClose: () => void;
}

export function CaseDrawer({ caseId, onClose }: CaseDrawerProps) {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  const query = useApiQuery('case.get', caseId ? { caseId } : null);
  // Old data stays in the hook while the next case loads; never show it under another case.
  const file = query.data && query.data.caseId === caseId ? query.data : undefined;

  return (
    <Drawer
      open={caseId !== null}
      onClose={onClose}
      size={760}
      destroyOnHidden
      data-testid="case-drawer"
      className="fb-case-drawer"
      title={file ? <CaseTitle file={file} /> : t('caseFile.title')}
      extra={
        file && (
          <Typography.Text type="secondary">
            {t('caseFile.officerLine', { name: file.officer.name })}
          </Typography.Text>
        )
      }
    >
      {query.error && !file && (
        <ApiErrorAlert
          title={t('caseFile.loadFailed')}
          error={query.error}
          onRetry={query.reload}
        />
      )}
      {!file && !query.error && <Skeleton active paragraph={{ rows: 12 }} />}
      {file && <CaseFileBody file={file} ctx={ctx} />}
    </Drawer>
  );
}

function CaseTitle({ file }: { file: CaseFile }) {
  const { t } = useTranslation();
  const flags = (Object.keys(FLAG_COLORS) as (keyof CaseFile['flags'])[]).filter(
    (f) => file.flags[f],
  );
  return (
    <Space size={8} wrap>
      <span className="fb-case-name" data-testid="case-borrower-name">
        {file.borrower.name}
      </span>
      <Tag color={file.status === 'open' ? 'blue' : 'default'} variant="filled">
        {t(`caseFile.status.${file.status}`)}
      </Tag>
      {flags.map((f) => (
        <Tag key={f} color={FLAG_COLORS[f]}>
          {t(`flags.${f}`)}
        </Tag>
      ))}
    </Space>
  );
}

function CaseFileBody({ file, ctx }: { file: CaseFile; ctx: FormatContext }) {
  const { t } = useTranslation();
  const b = file.borrower;
  return (
    <div className="fb-case-body">
      <div className="fb-case-reasons" data-testid="case-reasons">
        <span className="fb-case-reasons-label">{t('caseFile.priority')}</span>
        <ReasonLine reasons={file.priority.reasons} ctx={ctx} />
      </div>

      <Descriptions
        size="small"
        column={2}
        className="fb-case-descriptions"
        items={[
          {
            key: 'idNumber',
            label: t('caseFile.idNumber'),
            children: <span className="fb-num">{b.idNumberMasked}</span>,
          },
          {
            key: 'gender',
            label: t('caseFile.genderLabel'),
            children: b.gender ? t(`caseFile.gender.${b.gender}`) : t('caseFile.none'),
          },
          {
            key: 'area',
            label: t('caseFile.area'),
            children: [b.county, b.township, b.village].filter(Boolean).join(' · '),
          },
          {
            key: 'nextAction',
            label: t('caseFile.nextAction'),
            children: file.nextActionDate ? longDate(file.nextActionDate, ctx) : t('caseFile.none'),
          },
          { key: 'address', label: t('caseFile.address'), children: b.address, span: 2 },
        ]}
      />

      <Section title={t('caseFile.sections.contacts')}>
        <ContactPointsList points={file.contactPoints} />
      </Section>
      <Section title={t('caseFile.sections.loans')}>
        <LoansTable loans={file.loans} ctx={ctx} />
      </Section>
      <Section title={t('caseFile.sections.promises')}>
        {file.promises.length > 0 ? (
          <PromisesTable promises={file.promises} ctx={ctx} />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseFile.noPromises')} />
        )}
      </Section>
      <Section title={t('caseFile.sections.timeline')}>
        <CaseTimeline entries={file.timeline} ctx={ctx} />
      </Section>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="fb-case-section">
      <Typography.Title level={5} className="fb-case-section-title">
        {title}
      </Typography.Title>
      {children}
    </section>
  );
}

// The validation report's problems, one line per row and field, in the user's language.
import { useState } from 'react';
import { Segmented, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { IssueSeverity, RowIssue } from '../../../../shared/import';
import { useFormatContext } from '../../app/use-format';
import { fieldLabel, rowIssueText } from './import-texts';

type SeverityFilter = 'all' | IssueSeverity;
type KeyedIssue = RowIssue & { key: number };

const SEVERITY_COLOR: Record<IssueSeverity, string> = {
  error: 'red',
  warning: 'orange',
  skipped: 'default',
};

export function IssuesTable({ issues }: { issues: readonly RowIssue[] }) {
  const { t } = useTranslation();
  const { lang } = useFormatContext();
  // Errors first: they are what keeps rows out of the ledger.
  const [filter, setFilter] = useState<SeverityFilter>(() =>
    issues.some((i) => i.severity === 'error') ? 'error' : 'all',
  );
  const count = (s: IssueSeverity) => issues.filter((i) => i.severity === s).length;
  // By row: the report lists a duplicate's first row only when the second is met.
  const byRow = [...issues].sort((a, b) => a.rowNumber - b.rowNumber);
  const shown = filter === 'all' ? byRow : byRow.filter((i) => i.severity === filter);

  const columns: ColumnsType<KeyedIssue> = [
    {
      key: 'row',
      title: t('import.issues.row'),
      dataIndex: 'rowNumber',
      width: 64,
      className: 'fb-num',
    },
    {
      key: 'severity',
      title: t('import.issues.severity'),
      width: 76,
      render: (_: unknown, issue) => (
        <Tag color={SEVERITY_COLOR[issue.severity]}>{t(`import.severity.${issue.severity}`)}</Tag>
      ),
    },
    {
      key: 'field',
      title: t('import.issues.field'),
      width: 150,
      render: (_: unknown, issue) =>
        issue.field ? (
          <span className="fb-cell-stack">
            <span>{fieldLabel(issue.field, lang)}</span>
            {issue.column && issue.column !== fieldLabel(issue.field, lang) && (
              <span className="fb-secondary">{t('import.issues.column', { column: issue.column })}</span>
            )}
          </span>
        ) : (
          <span className="fb-secondary">{t('import.issues.wholeRow')}</span>
        ),
    },
    {
      key: 'reason',
      title: t('import.issues.reason'),
      render: (_: unknown, issue) => <span data-code={issue.code}>{rowIssueText(issue, lang)}</span>,
    },
  ];

  return (
    <div className="fb-import-issues" data-testid="import-issues">
      <Segmented<SeverityFilter>
        size="small"
        value={filter}
        onChange={setFilter}
        data-testid="import-issue-filter"
        options={[
          { value: 'all', label: t('import.issues.all', { count: issues.length }) },
          { value: 'error', label: t('import.issues.errors', { count: count('error') }) },
          { value: 'warning', label: t('import.issues.warnings', { count: count('warning') }) },
          { value: 'skipped', label: t('import.issues.skipped', { count: count('skipped') }) },
        ]}
      />
      <Table<KeyedIssue>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={shown.map((issue, key) => ({ ...issue, key }))}
        pagination={{ pageSize: 8, size: 'small', showSizeChanger: false, hideOnSinglePage: true }}
      />
    </div>
  );
}

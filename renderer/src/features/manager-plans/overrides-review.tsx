// Contacts an officer made against a conduct rule, with the reason they wrote: the manager
// reads each one and marks it reviewed, optionally with a comment. Waiting ones first;
// reviewed ones stay listable with who reviewed them and when.
import { useState } from 'react';
import { Alert, Button, Empty, Form, Input, Modal, Segmented, Table, Tag } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OverrideForReview } from '../../../../shared/api/manager-contract';
import { useApiQuery } from '../../api/use-api-query';
import { useMutation } from '../../api/use-mutation';
import { useRouter } from '../../app/router';
import { useFormatContext } from '../../app/use-format';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { errorText, formatInstant } from '../../i18n/format';
import { ruleCodeText } from '../contact/conduct-words';
import './plans.css';

type ReviewFilter = 'waiting' | 'reviewed' | 'all';

const FILTER_INPUT: Record<ReviewFilter, { reviewed?: boolean }> = {
  waiting: { reviewed: false },
  reviewed: { reviewed: true },
  all: {},
};

export interface OverridesReviewProps {
  /** Called after a review is recorded (e.g. to refresh a count elsewhere). */
  onReviewed?: () => void;
  /** Defaults to the router's openCase. */
  onOpenCase?: (caseId: string) => void;
}

export function OverridesReview({ onReviewed, onOpenCase }: OverridesReviewProps) {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  const router = useRouter();
  const openCase = onOpenCase ?? router.openCase;
  const [filter, setFilter] = useState<ReviewFilter>('waiting');
  const [reviewing, setReviewing] = useState<OverrideForReview | null>(null);
  const query = useApiQuery('manager.overrides', FILTER_INPUT[filter]);

  return (
    <div className="fb-overrides-review" data-testid="overrides-review">
      <div className="fb-overrides-review-head">
        <Segmented<ReviewFilter>
          value={filter}
          onChange={setFilter}
          options={(['waiting', 'reviewed', 'all'] as const).map((f) => ({
            value: f,
            label: t(`plans.overrideReview.filter.${f}`),
          }))}
          data-testid="overrides-filter"
        />
        <span className="fb-secondary">{t('plans.overrideReview.hint')}</span>
      </div>
      {query.error && !query.data ? (
        <ApiErrorAlert
          title={t('plans.overrideReview.loadFailed')}
          error={query.error}
          onRetry={query.reload}
        />
      ) : (
        <div className="fb-panel">
          <Table<OverrideForReview>
            size="small"
            rowKey="factId"
            loading={query.loading}
            dataSource={query.data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            data-testid="overrides-table"
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={t(`plans.overrideReview.empty.${filter}`)}
                />
              ),
            }}
            onRow={(o) => ({ 'data-testid': 'override-row', 'data-fact-id': o.factId }) as object}
            columns={[
              {
                key: 'at',
                title: t('plans.overrideReview.at'),
                width: 120,
                render: (_v, o) => <span className="fb-num">{formatInstant(o.at, ctx)}</span>,
              },
              {
                key: 'borrower',
                title: t('plans.overrideReview.borrower'),
                width: 110,
                render: (_v, o) => (
                  <a
                    href={`#/case/${encodeURIComponent(o.caseId)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      openCase(o.caseId);
                    }}
                  >
                    {o.borrowerName}
                  </a>
                ),
              },
              {
                key: 'by',
                title: t('plans.overrideReview.by'),
                width: 90,
                render: (_v, o) => o.by.name,
              },
              {
                key: 'rules',
                title: t('plans.overrideReview.rules'),
                width: 200,
                render: (_v, o) => (
                  <span className="fb-override-rules" data-testid="override-rules">
                    {o.ruleCodes.map((c) => (
                      <Tag key={c} color="volcano" variant="outlined">
                        {ruleCodeText(c, ctx)}
                      </Tag>
                    ))}
                  </span>
                ),
              },
              {
                key: 'reason',
                title: t('plans.overrideReview.reason'),
                render: (_v, o) => <span className="fb-override-reason">{o.reason}</span>,
              },
              {
                key: 'review',
                title: t('plans.overrideReview.review'),
                width: 220,
                render: (_v, o) =>
                  o.review ? (
                    <div
                      className="fb-cell-stack fb-cell-stack-wrap"
                      data-testid="override-reviewed"
                    >
                      <span className="fb-override-reviewed">
                        <Tag color="success" variant="filled">
                          {t('plans.overrideReview.reviewed')}
                        </Tag>
                        <span className="fb-secondary">
                          {t('plans.overrideReview.reviewedBy', {
                            name: o.review.by.name,
                            at: formatInstant(o.review.at, ctx),
                          })}
                        </span>
                      </span>
                      {o.review.comment && <span className="fb-secondary">{o.review.comment}</span>}
                    </div>
                  ) : (
                    <Button
                      size="small"
                      icon={<AuditOutlined />}
                      onClick={() => setReviewing(o)}
                      data-testid="override-review"
                    >
                      {t('plans.overrideReview.reviewAction')}
                    </Button>
                  ),
              },
            ]}
          />
        </div>
      )}
      {reviewing && (
        <ReviewModal
          override={reviewing}
          onClose={() => setReviewing(null)}
          onReviewed={() => {
            setReviewing(null);
            query.reload();
            onReviewed?.();
          }}
        />
      )}
    </div>
  );
}

function ReviewModal({
  override,
  onClose,
  onReviewed,
}: {
  override: OverrideForReview;
  onClose: () => void;
  onReviewed: () => void;
}) {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  const [form] = Form.useForm<{ comment?: string }>();
  const review = useMutation('override.review');
  return (
    <Modal
      open
      title={t('plans.overrideReview.modalTitle', { name: override.borrowerName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('plans.overrideReview.confirm')}
      okButtonProps={{ 'data-testid': 'override-review-submit' }}
      cancelText={t('common.cancel')}
      confirmLoading={review.pending}
      destroyOnHidden
      data-testid="override-review-modal"
    >
      <div className="fb-override-summary">
        <div>
          {override.ruleCodes.map((c) => ruleCodeText(c, ctx)).join(t('plans.reasonJoiner'))}
        </div>
        <div className="fb-timeline-note">{override.reason}</div>
        <div className="fb-secondary">
          {formatInstant(override.at, ctx)}
          {t('reason.separator')}
          {t('caseFile.recordedBy', { name: override.by.name })}
        </div>
      </div>
      <Form
        form={form}
        layout="vertical"
        className="fb-form"
        onFinish={async (v: { comment?: string }) => {
          const comment = v.comment?.trim();
          const done = await review.run({
            overrideFactId: override.factId,
            ...(comment ? { comment } : {}),
          });
          if (done) onReviewed();
        }}
      >
        <Form.Item name="comment" label={t('plans.overrideReview.comment')}>
          <Input.TextArea
            rows={3}
            maxLength={1000}
            showCount
            autoFocus
            data-testid="override-review-comment"
          />
        </Form.Item>
        {review.error && (
          <Alert
            type="error"
            showIcon
            title={t('common.saveFailed')}
            description={errorText(review.error, t)}
          />
        )}
      </Form>
    </Modal>
  );
}

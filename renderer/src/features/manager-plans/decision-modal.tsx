// The manager's decision on a proposed plan: approve or reject, always with a comment
// (the decision is a fact the officer reads, so it must say why). Used by the plan queue
// and by the case file's plans table.
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlanDecided } from '../../../../shared/api/manager-contract';
import type { Fen } from '../../../../shared/domain/types';
import { useMutation } from '../../api/use-mutation';
import { errorText, money } from '../../i18n/format';

export type PlanDecision = 'approved' | 'rejected';

/** What the modal shows of the plan: enough to be sure which one is being decided. */
export interface PlanToDecide {
  factId: string;
  borrowerName: string;
  monthlyFen: Fen;
  months: number;
  totalFen: Fen;
}

export interface DecisionModalProps {
  plan: PlanToDecide;
  decision: PlanDecision;
  onClose: () => void;
  /** Called after the ledger has recorded the decision, with the comment as sent. */
  onDecided: (result: PlanDecided, comment: string) => void;
}

const COMMENT_MAX = 1000;

export function DecisionModal({ plan, decision, onClose, onDecided }: DecisionModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ comment?: string }>();
  const decide = useMutation('plan.decide');
  const approving = decision === 'approved';
  return (
    <Modal
      open
      title={t(approving ? 'plans.decide.approveTitle' : 'plans.decide.rejectTitle', {
        name: plan.borrowerName,
      })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(approving ? 'plans.decide.approve' : 'plans.decide.reject')}
      okButtonProps={{ danger: !approving, 'data-testid': 'decision-submit' }}
      cancelText={t('common.cancel')}
      confirmLoading={decide.pending}
      destroyOnHidden
      data-testid="decision-modal"
    >
      <p className="fb-decision-summary" data-testid="decision-plan">
        {t('plans.decide.summary', {
          monthly: money(plan.monthlyFen),
          count: plan.months,
          total: money(plan.totalFen),
        })}
      </p>
      <p className="fb-decision-hint">
        {t(approving ? 'plans.decide.approveHint' : 'plans.decide.rejectHint')}
      </p>
      <Form
        form={form}
        layout="vertical"
        className="fb-form"
        onFinish={async (v: { comment?: string }) => {
          const comment = v.comment?.trim();
          if (!comment) return;
          const result = await decide.run({ planFactId: plan.factId, decision, comment });
          if (result) onDecided(result, comment);
        }}
      >
        <Form.Item
          name="comment"
          label={t('plans.decide.comment')}
          rules={[{ required: true, whitespace: true, message: t('plans.decide.commentRequired') }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={COMMENT_MAX}
            showCount
            autoFocus
            placeholder={t(
              approving ? 'plans.decide.approvePlaceholder' : 'plans.decide.rejectPlaceholder',
            )}
            data-testid="decision-comment"
          />
        </Form.Item>
        {decide.error && (
          <Alert
            type="error"
            showIcon
            title={t('common.saveFailed')}
            description={decisionErrorText(decide.error, t)}
            data-testid="decision-error"
          />
        )}
      </Form>
    </Modal>
  );
}

type ErrorOf = NonNullable<ReturnType<typeof useMutation<'plan.decide'>>['error']>;

/** The ledger's refusals a manager can meet here, in words; anything else as usual. */
function decisionErrorText(err: ErrorOf, t: ReturnType<typeof useTranslation>['t']): string {
  const reason = err.params['reason'];
  if (err.code === 'conflict' && typeof reason === 'string') {
    const known = ['plan_already_decided', 'loan_closed', 'loan_already_restructured'];
    if (known.includes(reason)) return t(`plans.decide.refused.${reason}`);
  }
  return errorText(err, t);
}

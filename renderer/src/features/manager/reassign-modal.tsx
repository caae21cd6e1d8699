// Reassign one or many cases to another officer, with a reason the officers and the audit
// trail will read. The ledger records one reassignment per case that changes hands, in one
// transaction; cases already with that officer are left alone and counted, so the manager
// sees exactly what moved.
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Result, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CasesReassigned } from '../../../../shared/api/manager-contract';
import { useMutation } from '../../api/use-mutation';
import { useAppInfo } from '../../app/app-info';
import { useDataVersion } from '../../app/data-version';
import { errorText } from '../../i18n/format';
import './manager.css';

/** The most cases one reassignment takes (the contract's limit). */
export const REASSIGN_LIMIT = 500;

interface Values {
  toOfficerId?: string;
  reason?: string;
}

export interface ReassignModalProps {
  caseIds: readonly string[];
  onClose: () => void;
  /** Called once the ledger has recorded the reassignment. */
  onReassigned: (result: CasesReassigned) => void;
}

export function ReassignModal({ caseIds, onClose, onReassigned }: ReassignModalProps) {
  const { t } = useTranslation();
  const info = useAppInfo();
  const { bump } = useDataVersion();
  const [form] = Form.useForm<Values>();
  const save = useMutation('cases.reassign');
  const [done, setDone] = useState<{
    result: CasesReassigned;
    officer: string;
    count: number;
  } | null>(null);
  const officers = info.officers.filter((o) => o.role === 'officer');

  const submit = async (v: Values) => {
    if (!v.toOfficerId || !v.reason) return;
    const result = await save.run({
      caseIds: [...caseIds],
      toOfficerId: v.toOfficerId,
      reason: v.reason.trim(),
    });
    if (!result) return;
    const officer = officers.find((o) => o.id === v.toOfficerId)?.name ?? '';
    setDone({ result, officer, count: caseIds.length });
    bump();
    onReassigned(result);
  };

  if (done) {
    const { result, officer, count } = done;
    return (
      <Modal
        open
        title={t('manager.reassign.title', { count })}
        onCancel={onClose}
        footer={
          <Button type="primary" onClick={onClose} data-testid="reassign-close">
            {t('manager.reassign.close')}
          </Button>
        }
      >
        <Result
          status="success"
          title={
            <span data-testid="reassign-moved">
              {t('manager.reassign.moved', { count: result.reassigned, name: officer })}
            </span>
          }
          subTitle={
            result.unchanged.length > 0 ? (
              <span data-testid="reassign-unchanged">
                {t('manager.reassign.unchanged', { count: result.unchanged.length, name: officer })}
              </span>
            ) : undefined
          }
        />
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t('manager.reassign.title', { count: caseIds.length })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('manager.reassign.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={save.pending}
      okButtonProps={{ 'data-testid': 'reassign-submit' }}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        className="fb-form"
        data-testid="reassign-form"
      >
        <Form.Item
          name="toOfficerId"
          label={t('manager.reassign.officer')}
          rules={[{ required: true, message: t('manager.reassign.officerRequired') }]}
        >
          <Select<string>
            data-testid="reassign-officer"
            showSearch={{ optionFilterProp: 'label' }}
            options={officers.map((o) => ({ value: o.id, label: o.name }))}
            placeholder={t('manager.reassign.officerPlaceholder')}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('manager.reassign.reason')}
          rules={[
            {
              validator: (_r, value: string | undefined) =>
                (value ?? '').trim().length >= 2
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('manager.reassign.reasonRequired'))),
            },
          ]}
        >
          <Input.TextArea
            rows={3}
            maxLength={1000}
            placeholder={t('manager.reassign.reasonPlaceholder')}
            data-testid="reassign-reason"
          />
        </Form.Item>
        {save.error && (
          <Alert
            type="error"
            showIcon
            title={t('manager.reassign.failed')}
            description={errorText(save.error, t)}
          />
        )}
      </Form>
    </Modal>
  );
}

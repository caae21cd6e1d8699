// Payments collected in the field, each with its receipt number; a reversed payment stays
// in the list, struck through and marked, next to the reversal that cancelled it.
import { Button, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PaymentView } from '../../../../shared/api/contract';
import { formatInstant, money, type FormatContext } from '../../i18n/format';

export function PaymentsTable({
  payments,
  ctx,
  onReceipt,
  onReverse,
}: {
  payments: PaymentView[];
  ctx: FormatContext;
  onReceipt: (p: PaymentView) => void;
  onReverse: (p: PaymentView) => void;
}) {
  const { t } = useTranslation();
  return (
    <Table<PaymentView>
      size="small"
      rowKey="factId"
      pagination={false}
      dataSource={payments}
      data-testid="case-payments"
      rowClassName={(p) => (p.reversed || p.refused ? 'fb-row-reversed' : '')}
      columns={[
        {
          key: 'receipt',
          title: t('payments.receiptNo'),
          render: (_v, p) => (
            <span className="fb-num" data-testid="payment-receipt-no">
              {p.receiptNo}
            </span>
          ),
        },
        {
          key: 'at',
          title: t('payments.at'),
          render: (_v, p) => <span className="fb-num">{formatInstant(p.collectedAt, ctx)}</span>,
        },
        {
          key: 'amount',
          title: t('payments.amount'),
          align: 'right',
          render: (_v, p) => (
            <span className="fb-num fb-money fb-strike-when-reversed">{money(p.amountFen)}</span>
          ),
        },
        {
          key: 'method',
          title: t('payments.method'),
          render: (_v, p) => t(`paymentMethod.${p.method}`),
        },
        { key: 'by', title: t('payments.by'), render: (_v, p) => p.collectedBy.name },
        {
          key: 'status',
          title: t('payments.status'),
          render: (_v, p) =>
            p.refused ? (
              <Tag color="error" variant="filled" data-testid="payment-refused">
                {t('refusedFact.tag')}
              </Tag>
            ) : p.reversed ? (
              <Tag color="error" variant="filled" data-testid="payment-reversed">
                {t('caseFile.reversed')}
              </Tag>
            ) : (
              <Tag color="success" variant="filled">
                {t('payments.valid')}
              </Tag>
            ),
        },
        {
          key: 'actions',
          title: '',
          align: 'right',
          // A refused payment never counted: no receipt to print, nothing to reverse.
          render: (_v, p) =>
            p.refused ? null : (
              <Space size={0}>
                <Button
                  size="small"
                  type="link"
                  onClick={() => onReceipt(p)}
                  data-testid="open-receipt"
                >
                  {t('payments.receipt')}
                </Button>
                {!p.reversed && (
                  <Button
                    size="small"
                    type="link"
                    danger
                    onClick={() => onReverse(p)}
                    data-testid="reverse-payment"
                  >
                    {t('payments.reverse')}
                  </Button>
                )}
              </Space>
            ),
        },
      ]}
    />
  );
}

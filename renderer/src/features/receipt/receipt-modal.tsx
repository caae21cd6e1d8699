// The receipt of one payment on screen, with the language to print it in and a Print
// button. What is printed is a copy of the receipt outside the app's root, and the print
// stylesheet hides everything else, so window.print() puts only the receipt on paper.
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { Button, Modal, Segmented, Skeleton } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/use-api-query';
import { useAppInfo } from '../../app/app-info';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { currentLanguage, type Language } from '../../i18n';
import { ReceiptView } from './receipt-view';

export interface ReceiptModalProps {
  paymentFactId: string;
  /** Shown above the receipt right after the payment was recorded. */
  justRecorded?: boolean;
  onClose: () => void;
}

export function ReceiptModal({ paymentFactId, justRecorded, onClose }: ReceiptModalProps) {
  const { t } = useTranslation();
  const info = useAppInfo();
  const [lang, setLang] = useState<Language>(currentLanguage());
  const query = useApiQuery('receipt.get', { paymentFactId });
  const receipt = query.data?.paymentFactId === paymentFactId ? query.data : undefined;

  return (
    <Modal
      open
      width={680}
      onCancel={onClose}
      title={justRecorded ? t('receipt.recordedTitle') : t('receipt.viewTitle')}
      data-testid="receipt-modal"
      destroyOnHidden
      footer={
        <div className="fb-receipt-actions">
          <Segmented<Language>
            size="small"
            value={lang}
            onChange={setLang}
            data-testid="receipt-language"
            options={[
              { value: 'zh-CN', label: t('receipt.langZh') },
              { value: 'en', label: t('receipt.langEn') },
            ]}
          />
          <span className="fb-filter-spacer" />
          <Button onClick={onClose} data-testid="receipt-close">
            {t('common.close')}
          </Button>
          <Button
            type="primary"
            icon={<PrinterOutlined />}
            disabled={!receipt}
            onClick={() => window.print()}
            data-testid="receipt-print"
          >
            {t('receipt.print')}
          </Button>
        </div>
      }
    >
      {query.error && !receipt && (
        <ApiErrorAlert title={t('receipt.loadFailed')} error={query.error} onRetry={query.reload} />
      )}
      {!receipt && !query.error && <Skeleton active paragraph={{ rows: 8 }} />}
      {receipt && (
        <>
          <div className="fb-receipt-screen">
            <ReceiptView
              receipt={receipt}
              lang={lang}
              timeZone={info.branch.timezone}
              testId="receipt"
            />
          </div>
          {createPortal(
            <div className="fb-print-area">
              <ReceiptView receipt={receipt} lang={lang} timeZone={info.branch.timezone} />
            </div>,
            document.body,
          )}
        </>
      )}
    </Modal>
  );
}

// An API failure in words the user can read, with the stable code for support and a retry.
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { errorText } from '../i18n/format';

export interface ApiErrorAlertProps {
  title: string;
  error: ApiError;
  onRetry?: () => void;
}

export function ApiErrorAlert({ title, error, onRetry }: ApiErrorAlertProps) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="api-error"
      title={title}
      description={
        <>
          <div>{errorText(error, t)}</div>
          <div className="fb-error-code">{t('errors.code', { code: error.code })}</div>
        </>
      }
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('app.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

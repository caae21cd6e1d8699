// What the dashboard and the officers page show before their figures arrive: the ledger's
// refusal in words with a retry, or a skeleton while the first answer is on its way.
import { Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiQuery } from '../../api/use-api-query';
import { ApiErrorAlert } from '../../components/api-error-alert';

export function DashboardLoadState({ query }: { query: ApiQuery<'manager.dashboard'> }) {
  const { t } = useTranslation();
  if (query.error) {
    return (
      <div className="fb-mgr-alert">
        <ApiErrorAlert
          title={t('manager.dashboard.loadFailed')}
          error={query.error}
          onRetry={query.reload}
        />
      </div>
    );
  }
  if (query.data) return null;
  return (
    <div className="fb-mgr-card">
      <Skeleton active paragraph={{ rows: 8 }} />
    </div>
  );
}

// The ledger's identity (branch, business date, current user, officers) is loaded once
// when the app opens; every screen reads it from here rather than asking again.
import { createContext, useContext, type ReactNode } from 'react';
import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AppInfo } from '../../../shared/api/contract';
import { useApiQuery } from '../api/use-api-query';
import { errorText } from '../i18n/format';

const AppInfoContext = createContext<AppInfo | null>(null);

export function useAppInfo(): AppInfo {
  const info = useContext(AppInfoContext);
  if (!info) throw new Error('useAppInfo outside AppInfoProvider');
  return info;
}

export function AppInfoProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { data, error, reload } = useApiQuery('app.info', {});

  if (error && !data) {
    return (
      <div className="fb-fullpage">
        <Result
          status="error"
          title={t('app.loadFailed')}
          subTitle={errorText(error, t)}
          extra={
            <Button type="primary" onClick={reload}>
              {t('app.retry')}
            </Button>
          }
        />
      </div>
    );
  }
  if (!data) {
    return (
      <div className="fb-fullpage" role="status">
        <Spin size="large" />
        <div className="fb-fullpage-caption">{t('app.loading')}</div>
      </div>
    );
  }
  return <AppInfoContext.Provider value={data}>{children}</AppInfoContext.Provider>;
}

// The manager's screens exist only for a branch manager or admin: an officer who follows
// a link to one sees why it is closed to them, with the way back to their worklist.
import type { ReactNode } from 'react';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppInfo } from '../../app/app-info';
import { openRoute } from '../../app/router';
import { isManagerRole } from './roles';

export function ManagerOnly({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const info = useAppInfo();
  if (isManagerRole(info.currentUser.role)) return <>{children}</>;
  return (
    <Result
      status="403"
      title={t('manager.forbidden.title')}
      subTitle={t('manager.forbidden.subtitle')}
      data-testid="manager-forbidden"
      extra={
        <Button type="primary" onClick={() => openRoute({ screen: 'worklist' }, { replace: true })}>
          {t('manager.forbidden.back')}
        </Button>
      }
    />
  );
}

// The frame around every screen: who and where the officer is, which business day the
// ledger is computing for, whether this is the demo ledger, the sync status (always
// visible, never blocking), lock / switch user, and the language switch. A branch manager
// (or admin) also gets a slim navigation rail on the left; an officer's frame has none.
import type { ReactNode } from 'react';
import { Avatar, Layout, Space, Tag, Tooltip, Typography } from 'antd';
import { CalendarOutlined, ExperimentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ManagerNav } from '../features/manager/manager-nav';
import { isManagerRole } from '../features/manager/roles';
import { SessionMenu } from '../features/sign-in/session-menu';
import { SyncStatusIndicator } from '../features/sync/sync-status-indicator';
import { businessDateWithWeekday } from '../i18n/format';
import { useAppInfo } from './app-info';
import { DemoRoleSwitch } from './demo-role-switch';
import { LanguageSwitch } from './language-switch';
import { useFormatContext } from './use-format';

export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const info = useAppInfo();
  const ctx = useFormatContext();
  const user = info.currentUser;

  return (
    <Layout className="fb-shell">
      <Layout.Header className="fb-header">
        <div className="fb-brand">
          <span className="fb-brand-mark" aria-hidden>
            F
          </span>
          <span className="fb-brand-name">{t('app.name')}</span>
          <span className="fb-brand-product">{t('app.product')}</span>
          <span className="fb-header-divider" aria-hidden />
          <span className="fb-branch" data-testid="branch-name">
            {info.branch.name}
          </span>
          {info.demo && (
            <Tooltip title={t('app.demoTooltip')}>
              <Tag
                color="orange"
                icon={<ExperimentOutlined />}
                className="fb-demo-tag"
                data-testid="demo-tag"
              >
                {t('app.demoTag')}
              </Tag>
            </Tooltip>
          )}
          <DemoRoleSwitch />
        </div>
        <Space size={20} className="fb-header-right">
          <SyncStatusIndicator />
          <span className="fb-business-date" data-testid="business-date">
            <CalendarOutlined />
            <Typography.Text type="secondary">{t('app.businessDate')}</Typography.Text>
            <Typography.Text strong>{businessDateWithWeekday(info.today, ctx)}</Typography.Text>
          </span>
          <span className="fb-user" title={t('app.currentUser')} data-testid="current-user">
            <Avatar size={28} className="fb-user-avatar">
              {user.name.slice(-1)}
            </Avatar>
            <span className="fb-user-name">{user.name}</span>
            <Typography.Text type="secondary">{t(`app.roles.${user.role}`)}</Typography.Text>
            <SessionMenu />
          </span>
          <LanguageSwitch />
        </Space>
      </Layout.Header>
      {isManagerRole(user.role) ? (
        <Layout hasSider className="fb-shell-body">
          <ManagerNav />
          <Layout.Content className="fb-content">{children}</Layout.Content>
        </Layout>
      ) : (
        <Layout.Content className="fb-content">{children}</Layout.Content>
      )}
    </Layout>
  );
}

// Providers in order: antd (theme + locale following the language), then the ledger's
// identity, then the shell and the screen.
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { WorklistPage } from '../features/worklist/worklist-page';
import { AppInfoProvider } from './app-info';
import { AppShell } from './app-shell';
import { theme } from './theme';

export function App() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language !== 'en';

  useEffect(() => {
    dayjs.locale(zh ? 'zh-cn' : 'en');
    document.title = `${t('app.name')} · ${t('app.product')}`;
  }, [zh, t]);

  return (
    <ConfigProvider locale={zh ? zhCN : enUS} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp className="fb-app">
        <AppInfoProvider>
          <AppShell>
            <WorklistPage />
          </AppShell>
        </AppInfoProvider>
      </AntApp>
    </ConfigProvider>
  );
}

// Providers in order: antd (theme + locale following the language), the session gate
// (first-run wizard, sign-in, lock screen), then the ledger's
// identity, the branch's policy pack and the data-version counter, then the shell and
// the screen the URL names. The worklist stays mounted under an open case so going back
// finds it where the officer left it.
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CasePage } from '../features/case-file/case-page';
import { SessionGate } from '../features/sign-in/session-gate';
import { WorklistPage } from '../features/worklist/worklist-page';
import { AppInfoProvider } from './app-info';
import { AppShell } from './app-shell';
import { DataVersionProvider } from './data-version';
import { PolicyProvider } from './policy';
import { useRouter } from './router';
import { theme } from './theme';

function Screens() {
  const { route, openCase, back } = useRouter();
  return (
    <>
      <WorklistPage active={route.screen === 'worklist'} onOpenCase={openCase} />
      {route.screen === 'case' && (
        <CasePage key={route.caseId} caseId={route.caseId} onBack={back} />
      )}
    </>
  );
}

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
        <SessionGate>
          <AppInfoProvider>
            <PolicyProvider>
              <DataVersionProvider>
                <AppShell>
                  <Screens />
                </AppShell>
              </DataVersionProvider>
            </PolicyProvider>
          </AppInfoProvider>
        </SessionGate>
      </AntApp>
    </ConfigProvider>
  );
}

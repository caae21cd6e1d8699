// Providers in order: antd (theme + locale following the language), the session gate
// (first-run wizard, sign-in, lock screen), then the ledger's
// identity, the branch's policy pack and the data-version counter, then the shell and
// the screen the URL names. The worklist stays mounted under every other screen, and the
// screen a case was opened from stays mounted under the case, so going back finds each
// where the user left it. The printable branch report is drawn without the shell.
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CasePage } from '../features/case-file/case-page';
import { ImportPage } from '../features/import/import-page';
import { CasesPage } from '../features/manager/cases-page';
import { DashboardPage } from '../features/manager/dashboard-page';
import { ManagerOnly } from '../features/manager/manager-only';
import { OfficersPage } from '../features/manager/officers-page';
import { PlansPage } from '../features/manager-plans/plans-page';
import { ReportPage } from '../features/manager-report/report-page';
import { SessionGate } from '../features/sign-in/session-gate';
import { WorklistPage } from '../features/worklist/worklist-page';
import { AppInfoProvider } from './app-info';
import { AppShell } from './app-shell';
import { DataVersionProvider } from './data-version';
import { PolicyProvider } from './policy';
import { parseRoute, useRouter, type Route } from './router';
import { theme } from './theme';

type OtherScreen = Exclude<Route, { screen: 'worklist' } | { screen: 'case' }>;

function OtherScreenView({
  route,
  onOpenCase,
  onBack,
}: {
  route: OtherScreen;
  onOpenCase: (caseId: string) => void;
  onBack: () => void;
}) {
  switch (route.screen) {
    case 'dashboard':
      return <DashboardPage scope={{ asOf: route.asOf, officerId: route.officerId }} />;
    case 'cases':
      return (
        <CasesPage
          figure={route.figure}
          scope={{ asOf: route.asOf, officerId: route.officerId }}
          onOpenCase={onOpenCase}
          onBack={onBack}
        />
      );
    case 'officers':
      return <OfficersPage asOf={route.asOf} />;
    case 'plans':
      return <PlansPage />;
    case 'import':
      return <ImportPage />;
    case 'report':
      // Drawn by Frame without the shell; never reached here.
      return null;
  }
}

function Screens() {
  const { route, hash, openCase, back } = useRouter();
  // The last screen that is not a case: it stays mounted (hidden) while a case is open.
  const [baseHash, setBaseHash] = useState(hash);
  if (route.screen !== 'case' && hash !== baseHash) setBaseHash(hash);
  const base = route.screen === 'case' ? parseRoute(baseHash) : route;
  const caseOpen = route.screen === 'case';
  const other = base.screen !== 'worklist' && base.screen !== 'case' ? base : null;
  // From a list a manager opened from the dashboard, back returns to the dashboard.
  const backFromList = () =>
    back(
      other?.screen === 'cases'
        ? { screen: 'dashboard', asOf: other.asOf, officerId: other.officerId }
        : undefined,
    );

  return (
    <>
      <WorklistPage active={route.screen === 'worklist'} onOpenCase={openCase} />
      {other && (
        <div className="fb-page fb-screen-scroll" hidden={caseOpen}>
          <ManagerOnly>
            <OtherScreenView
              key={other.screen === 'cases' ? baseHash : other.screen}
              route={other}
              onOpenCase={openCase}
              onBack={backFromList}
            />
          </ManagerOnly>
        </div>
      )}
      {route.screen === 'case' && (
        <CasePage key={route.caseId} caseId={route.caseId} onBack={() => back()} />
      )}
    </>
  );
}

function Frame() {
  const { route } = useRouter();
  if (route.screen === 'report') {
    return (
      <ManagerOnly>
        <ReportPage asOf={route.asOf} />
      </ManagerOnly>
    );
  }
  return (
    <AppShell>
      <Screens />
    </AppShell>
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
                <Frame />
              </DataVersionProvider>
            </PolicyProvider>
          </AppInfoProvider>
        </SessionGate>
      </AntApp>
    </ConfigProvider>
  );
}

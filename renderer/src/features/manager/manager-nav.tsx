// The manager's slim navigation rail: the worklist, the dashboard, officers side by side,
// plans waiting for a decision, and imports. Icons with short words under them, so it
// takes 72 pixels of a 1366-pixel screen and none of its height.
import type { ReactNode } from 'react';
import {
  AuditOutlined,
  DashboardOutlined,
  ImportOutlined,
  TeamOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { openRoute, routeHash, useRouter, type Route, type ScreenName } from '../../app/router';
import './manager.css';

interface NavItem {
  key: string;
  icon: ReactNode;
  route: Route;
  /** The screens under this item (the cases behind a number belong to the dashboard). */
  screens: ScreenName[];
}

const ITEMS: NavItem[] = [
  {
    key: 'worklist',
    icon: <UnorderedListOutlined />,
    route: { screen: 'worklist' },
    screens: ['worklist'],
  },
  {
    key: 'dashboard',
    icon: <DashboardOutlined />,
    route: { screen: 'dashboard', asOf: null, officerId: null },
    screens: ['dashboard', 'cases'],
  },
  {
    key: 'officers',
    icon: <TeamOutlined />,
    route: { screen: 'officers', asOf: null },
    screens: ['officers'],
  },
  { key: 'plans', icon: <AuditOutlined />, route: { screen: 'plans' }, screens: ['plans'] },
  { key: 'import', icon: <ImportOutlined />, route: { screen: 'import' }, screens: ['import'] },
];

export function ManagerNav() {
  const { t } = useTranslation();
  const { route } = useRouter();
  return (
    <nav className="fb-nav-rail" aria-label={t('manager.nav.label')} data-testid="manager-nav">
      {ITEMS.map((item) => {
        const current = item.screens.includes(route.screen);
        return (
          <a
            key={item.key}
            href={routeHash(item.route)}
            className={`fb-nav-item${current ? ' fb-nav-current' : ''}`}
            aria-current={current ? 'page' : undefined}
            data-testid={`nav-${item.key}`}
            onClick={(event) => {
              event.preventDefault();
              if (!current || route.screen === 'cases') openRoute(item.route);
            }}
          >
            <span className="fb-nav-icon" aria-hidden>
              {item.icon}
            </span>
            <span className="fb-nav-label">{t(`manager.nav.${item.key}`)}</span>
          </a>
        );
      })}
    </nav>
  );
}

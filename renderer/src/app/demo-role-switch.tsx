// On the demo ledger only: look at the app as the branch's field officer or as its manager.
// The session gate keys the app by the signed-in user, so switching remounts every screen
// with the other role's data; the URL goes back to the start screen of that role.
import { Segmented, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../api/client';
import { useSession } from '../features/sign-in/session-context';

type DemoRole = 'officer' | 'manager';

export function DemoRoleSwitch() {
  const { t } = useTranslation();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  if (!session?.state.demo || !session.state.signedIn) return null;
  const role: DemoRole = session.state.signedIn.role === 'officer' ? 'officer' : 'manager';

  const choose = (next: DemoRole) => {
    if (next === role || busy) return;
    setBusy(true);
    invoke('session.demoAs', { role: next })
      .then((state) => {
        window.history.replaceState(null, '', next === 'manager' ? '#/manager' : '#/');
        session.setState(state);
      })
      .catch(() => undefined)
      .finally(() => setBusy(false));
  };

  return (
    <Tooltip title={t('app.demoRole.tooltip')}>
      <Segmented<DemoRole>
        size="small"
        value={role}
        disabled={busy}
        onChange={choose}
        data-testid="demo-role-switch"
        options={[
          { value: 'officer', label: t('app.demoRole.officer') },
          { value: 'manager', label: t('app.demoRole.manager') },
        ]}
      />
    </Tooltip>
  );
}

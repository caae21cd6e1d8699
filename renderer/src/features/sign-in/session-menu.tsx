// Lock and switch user, beside the signed-in user in the header (enrolled devices only:
// the demo ledger has no sign-in).
import { Button, Tooltip } from 'antd';
import { LockOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSession } from './session-context';

export function SessionMenu() {
  const { t } = useTranslation();
  const session = useSession();
  if (!session || session.state.mode !== 'enrolled') return null;
  return (
    <span style={{ display: 'inline-flex', gap: 4 }}>
      <Tooltip title={t('session.lock')}>
        <Button
          size="small"
          type="text"
          icon={<LockOutlined />}
          aria-label={t('session.lock')}
          onClick={session.lock}
          data-testid="session-lock"
        />
      </Tooltip>
      <Tooltip title={t('session.switchUser')}>
        <Button
          size="small"
          type="text"
          icon={<SwapOutlined />}
          aria-label={t('session.switchUser')}
          onClick={session.switchUser}
        />
      </Tooltip>
    </span>
  );
}
